#!/usr/bin/python3
"""Raster side of the GDAL differential tests, batched so one python start serves many cases.

  readraster.py make  SPECS.json   create GeoTIFFs (existing destinations for update-mode cases)
  readraster.py compare PAIRS.json  compare raster pairs, print one JSON document on stdout
  readraster.py read  JOBS.json     each raster's size, geotransform, SRS, bands, and band 1's pixels
                                    when the job asks for them ({"path": ..., "pixels": true})

A JSON argument of "-" is read from stdin.

Numbers that JSON cannot carry (NaN, +-inf) travel as the strings "nan", "inf", "-inf".
"""
import json
import math
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
gdal.PushErrorHandler("CPLQuietErrorHandler")

TYPES = {
    "Byte": gdal.GDT_Byte,
    "Int16": gdal.GDT_Int16,
    "UInt16": gdal.GDT_UInt16,
    "Int32": gdal.GDT_Int32,
    "UInt32": gdal.GDT_UInt32,
    "Float32": gdal.GDT_Float32,
    "Float64": gdal.GDT_Float64,
    "Int64": gdal.GDT_Int64,
    "UInt64": gdal.GDT_UInt64,
}


def enc(v):
    if v is None:
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def dec(v):
    if isinstance(v, str):
        return float(v)
    return v


def make(specs):
    drv = gdal.GetDriverByName("GTiff")
    for s in specs:
        w, h, nb = s["width"], s["height"], s.get("bands", 1)
        ds = drv.Create(s["path"], w, h, nb, TYPES[s.get("type", "Byte")], options=s.get("co") or [])
        if s.get("pixelIsPoint"):
            ds.SetMetadataItem("AREA_OR_POINT", "Point")
        for k, v in (s.get("metadata") or {}).items():
            ds.SetMetadataItem(k, v)
        if s.get("description"):
            ds.GetRasterBand(1).SetDescription(s["description"])
        if s.get("gt") is not None:
            ds.SetGeoTransform([dec(x) for x in s["gt"]])
        if s.get("srs"):
            srs = osr.SpatialReference()
            srs.SetFromUserInput(s["srs"])
            ds.SetProjection(srs.ExportToWkt())
        fill = s.get("fill", 0)
        for b in range(1, nb + 1):
            band = ds.GetRasterBand(b)
            if s.get("nodata") is not None:
                band.SetNoDataValue(dec(s["nodata"]))
            if fill == "ramp":
                # distinct values everywhere, so pixels a burn must keep are visibly kept
                arr = (np.arange(w * h).reshape(h, w) % 97 + 3 + b).astype(np.float64)
                band.WriteArray(arr)
            else:
                band.Fill(dec(fill))
        ds.FlushCache()
        ds = None
    print(json.dumps({"made": len(specs)}))


def nodata_of(band):
    # a 64-bit integer band's nodata as GDAL reads it for that type (exactly, not through a double)
    t = gdal.GetDataTypeName(band.DataType)
    if t == "Int64":
        return band.GetNoDataValueAsInt64()
    if t == "UInt64":
        return band.GetNoDataValueAsUInt64()
    return band.GetNoDataValue()


def info(path):
    try:
        ds = gdal.Open(path)
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        return None, {"error": str(e).splitlines()[0] if str(e) else "cannot open"}
    gt = ds.GetGeoTransform(can_return_null=True)
    wkt = ds.GetProjectionRef() or ""
    bands = []
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        bands.append(
            {
                "type": gdal.GetDataTypeName(band.DataType),
                "nodata": enc(nodata_of(band)),
                "checksum": band.Checksum(),
            }
        )
    b1 = ds.GetRasterBand(1) if ds.RasterCount else None
    structure = {
        "metadata": ds.GetMetadata() or {},
        "compression": (ds.GetMetadata("IMAGE_STRUCTURE") or {}).get("COMPRESSION"),
        "predictor": (ds.GetMetadata("IMAGE_STRUCTURE") or {}).get("PREDICTOR"),
        "block": b1.GetBlockSize() if b1 else None,
        "description": b1.GetDescription() if b1 else None,
    }
    meta = {
        "structure": structure,
        "width": ds.RasterXSize,
        "height": ds.RasterYSize,
        "bands": bands,
        "gt": [enc(x) for x in gt] if gt is not None else None,
        "srs": srs_name(wkt),
    }
    return ds, meta


def srs_name(wkt):
    if not wkt:
        return None
    s = osr.SpatialReference(wkt)
    s.AutoIdentifyEPSG()
    auth = s.GetAuthorityName(None)
    code = s.GetAuthorityCode(None)
    return f"{auth}:{code}" if auth and code else (s.GetName() or wkt[:60])


def same_srs(da, db):
    wa, wb = da.GetProjectionRef() or "", db.GetProjectionRef() or ""
    if not wa and not wb:
        return True
    if not wa or not wb:
        return False
    return bool(osr.SpatialReference(wa).IsSame(osr.SpatialReference(wb)))


def same_value(x, y):
    if x is None or y is None:
        return x is None and y is None
    if isinstance(x, int) and isinstance(y, int):
        return x == y
    fx, fy = float(dec(x)), float(dec(y))
    return fx == fy or (math.isnan(fx) and math.isnan(fy))


def rows_of(arr):
    return [[enc(v) for v in row] for row in arr.tolist()]


def compare(pairs):
    out = []
    for p in pairs:
        max_diffs = p.get("maxDiffs", 5)
        want_array = p.get("wantArray", 0)
        res = {}
        da, ma = info(p["a"])
        res["a"] = ma
        if da is not None and want_array and ma["width"] * ma["height"] <= want_array:
            res["aArray"] = rows_of(da.GetRasterBand(1).ReadAsArray())
        if p.get("b") is None:
            out.append(res)
            continue
        db, mb = info(p["b"])
        res["b"] = mb
        if da is None or db is None:
            out.append(res)
            continue
        res["sizeSame"] = ma["width"] == mb["width"] and ma["height"] == mb["height"] and len(ma["bands"]) == len(mb["bands"])
        ga, gb = ma["gt"], mb["gt"]
        res["gtSame"] = (ga is None and gb is None) or (
            ga is not None and gb is not None and all(same_value(x, y) for x, y in zip(ga, gb))
        )
        res["srsSame"] = same_srs(da, db)
        res["typeSame"] = [a["type"] for a in ma["bands"]] == [b["type"] for b in mb["bands"]]
        res["nodataSame"] = len(ma["bands"]) == len(mb["bands"]) and all(
            same_value(a["nodata"], b["nodata"]) for a, b in zip(ma["bands"], mb["bands"])
        )
        diffs = []
        if res["sizeSame"]:
            for bi in range(len(ma["bands"])):
                a = da.GetRasterBand(bi + 1).ReadAsArray()
                b = db.GetRasterBand(bi + 1).ReadAsArray()
                af, bf = a.astype(np.float64), b.astype(np.float64)
                if a.dtype == b.dtype and a.dtype.kind in "iu":
                    # integers exactly: 64-bit values beyond 2^53 differ where their doubles do not
                    neq = a != b
                    af, bf = a.astype(object), b.astype(object)
                else:
                    neq = ~((af == bf) | (np.isnan(af) & np.isnan(bf)))
                n = int(neq.sum())
                if n:
                    where = np.argwhere(neq)[:max_diffs]
                    diffs.append(
                        {
                            "band": bi + 1,
                            "count": n,
                            "first": [[int(r), int(c), enc(af[r, c]), enc(bf[r, c])] for r, c in where],
                        }
                    )
        res["pixelDiffs"] = diffs
        out.append(res)
    json.dump(out, sys.stdout, allow_nan=False)


def read(jobs):
    out = []
    for job in jobs:
        ds, meta = info(job["path"])
        if ds is not None and job.get("pixels"):
            meta["pixels"] = rows_of(ds.GetRasterBand(1).ReadAsArray())
        out.append(meta)
    json.dump(out, sys.stdout, allow_nan=False)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if path == "-":
        data = json.load(sys.stdin)
    else:
        with open(path) as f:
            data = json.load(f)
    if cmd == "make":
        make(data)
    elif cmd == "compare":
        compare(data)
    elif cmd == "read":
        read(data)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
