"""GDAL's in-memory route, as a Python user writes it: open the GeoJSON with OGR, create a MEM
dataset on the grid, gdal.RasterizeLayer, ReadAsArray. One process per run; prints the inner
step times as one JSON line on stdout. With "dump" in the spec the array is saved as .npy after
the timed steps, for the pixel check.

usage: python3 gdal_mem.py '<json spec>'
spec: {src, width, height, te: [xmin, ymin, xmax, ymax], type: GDAL type name,
       attribute | burn, allTouched, config: {KEY: VALUE}, dump?: path}
"""
import json
import sys
import time

t_start = time.perf_counter()
from osgeo import gdal, ogr  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()
t_import = time.perf_counter()


def main():
    spec = json.loads(sys.argv[1])
    for k, v in spec.get("config", {}).items():
        gdal.SetConfigOption(k, v)

    t0 = time.perf_counter()
    ds = ogr.Open(spec["src"])
    if ds is None:
        raise SystemExit(f"cannot open {spec['src']}")
    layer = ds.GetLayer(0)
    t1 = time.perf_counter()

    w, h = spec["width"], spec["height"]
    xmin, ymin, xmax, ymax = spec["te"]
    mem = gdal.GetDriverByName("MEM").Create("", w, h, 1, gdal.GetDataTypeByName(spec["type"]))
    # the same geotransform gdal_rasterize derives from -te/-ts
    mem.SetGeoTransform([xmin, (xmax - xmin) / w, 0, ymax, 0, -(ymax - ymin) / h])
    srs = layer.GetSpatialRef()
    if srs is not None:
        mem.SetProjection(srs.ExportToWkt())
    t2 = time.perf_counter()

    options = []
    if spec.get("allTouched"):
        options.append("ALL_TOUCHED=TRUE")
    if "attribute" in spec:
        options.append(f"ATTRIBUTE={spec['attribute']}")
        gdal.RasterizeLayer(mem, [1], layer, options=options)
    else:
        gdal.RasterizeLayer(mem, [1], layer, burn_values=[spec.get("burn", 1)], options=options)
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
