"""GDAL's in-memory route, as a Python user writes it: open the GeoJSON with OGR, create a MEM
dataset on the grid, gdal.RasterizeLayer, ReadAsArray. One process per run; prints the inner
step times as one JSON line on stdout. With "dump" in the spec the array is saved as .npy after
the timed steps, for the pixel check.

With "kind": "jobs" the source is a W5 jobs file ({crs, width, height, jobs: [{te, features}]}):
every job's FeatureCollection is opened as an OGR dataset first ("open"), then one loop ("loop")
creates a MEM dataset per job, rasterizes that job's layer into it and reads the array back:
GDAL's own in-process loop. "dump" then saves the (jobs, height, width) stack.

usage: python3 gdal_mem.py '<json spec>'
spec: {src, width, height, te: [xmin, ymin, xmax, ymax], tr?: [xres, yres], type: GDAL type name,
       attribute | burn, allTouched, config: {KEY: VALUE}, kind?: "single" | "jobs", dump?: path}
"""
import json
import sys
import time

t_start = time.perf_counter()
from osgeo import gdal, ogr  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()
t_import = time.perf_counter()


def geotransform(te, w, h, tr=None):
    # the geotransform gdal_rasterize derives from -te with -ts, or with -tr
    xmin, ymin, xmax, ymax = te
    if tr:
        return [xmin, tr[0], 0, ymax, 0, -tr[1]]
    return [xmin, (xmax - xmin) / w, 0, ymax, 0, -(ymax - ymin) / h]


def burn_options(spec):
    options = []
    if spec.get("allTouched"):
        options.append("ALL_TOUCHED=TRUE")
    if "attribute" in spec:
        options.append(f"ATTRIBUTE={spec['attribute']}")
        return options, None
    return options, [spec.get("burn", 1)]


def jobs(spec):
    t0 = time.perf_counter()
    with open(spec["src"], "rb") as f:
        doc = json.load(f)
    w, h = doc["width"], doc["height"]
    datasets = []
    for job in doc["jobs"]:
        ds = gdal.OpenEx(json.dumps(job["features"]), gdal.OF_VECTOR)
        datasets.append((job["te"], ds))
    t1 = time.perf_counter()

    gtype = gdal.GetDataTypeByName(spec["type"])
    driver = gdal.GetDriverByName("MEM")
    options, burn = burn_options(spec)
    dump = [] if spec.get("dump") else None
    srs_wkt = None
    for te, ds in datasets:
        layer = ds.GetLayer(0)
        mem = driver.Create("", w, h, 1, gtype)
        mem.SetGeoTransform(geotransform(te, w, h))
        if srs_wkt is None:
            srs = layer.GetSpatialRef()
            srs_wkt = srs.ExportToWkt() if srs is not None else ""
        if srs_wkt:
            mem.SetProjection(srs_wkt)
        if burn is None:
            gdal.RasterizeLayer(mem, [1], layer, options=options)
        else:
            gdal.RasterizeLayer(mem, [1], layer, burn_values=burn, options=options)
        arr = mem.GetRasterBand(1).ReadAsArray()
        if dump is not None:
            dump.append(arr)
    t2 = time.perf_counter()

    if dump is not None:
        import numpy as np
        np.save(spec["dump"], np.stack(dump))

    print(json.dumps({
        "import": t_import - t_start,
        "open": t1 - t0,
        "loop": t2 - t1,
        "inner": t2 - t0,
        "jobs": len(datasets),
        "gdal": gdal.__version__,
    }))


def main():
    spec = json.loads(sys.argv[1])
    for k, v in spec.get("config", {}).items():
        gdal.SetConfigOption(k, v)
    if spec.get("kind") == "jobs":
        return jobs(spec)

    t0 = time.perf_counter()
    ds = ogr.Open(spec["src"])
    if ds is None:
        raise SystemExit(f"cannot open {spec['src']}")
    layer = ds.GetLayer(0)
    t1 = time.perf_counter()
    # when the timed steps start, for a run stopped before it could print them (the size sweep's cap):
    # their time is then at least the time from here to the stop
    print(json.dumps({"innerStartedAtMs": time.time() * 1000}), file=sys.stderr, flush=True)

    w, h = spec["width"], spec["height"]
    mem = gdal.GetDriverByName("MEM").Create("", w, h, 1, gdal.GetDataTypeByName(spec["type"]))
    # the same geotransform gdal_rasterize derives from -te/-ts
    mem.SetGeoTransform(geotransform(spec["te"], w, h, spec.get("tr")))
    srs = layer.GetSpatialRef()
    if srs is not None:
        mem.SetProjection(srs.ExportToWkt())
    t2 = time.perf_counter()

    options, burn = burn_options(spec)
    if burn is None:
        gdal.RasterizeLayer(mem, [1], layer, options=options)
    else:
        gdal.RasterizeLayer(mem, [1], layer, burn_values=burn, options=options)
    t3 = time.perf_counter()

    arr = mem.GetRasterBand(1).ReadAsArray()
    t4 = time.perf_counter()

    if spec.get("dump"):
        import numpy as np
        np.save(spec["dump"], arr)

    print(json.dumps({
        "import": t_import - t_start,
        "open": t1 - t0,
        "create": t2 - t1,
        "rasterize": t3 - t2,
        "read": t4 - t3,
        "inner": t4 - t0,
        "shape": list(arr.shape),
        "gdal": gdal.__version__,
    }))


main()
