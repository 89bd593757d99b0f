"""rasterio.features.rasterize, as a Python user writes it: json.load the GeoJSON, hand
(geometry, value) pairs to rasterize() with the grid's shape and affine transform, get a numpy
array. One process per run; prints the inner step times as one JSON line on stdout. With "dump"
the array is saved as .npy after the timed steps, for the pixel check.

With "kind": "jobs" (W5) the file holds many small jobs ({crs, width, height, jobs: [{te,
features}]}): one loop ("loop") calls rasterize() once per job, each onto its own grid, and
"dump" saves the (jobs, height, width) stack.

usage: python3 rasterio_run.py '<json spec>'
spec: {src, width, height, te, tr?, dtype: numpy name, attribute | burn, allTouched,
       kind?: "single" | "jobs", dump?: path}
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
from affine import Affine  # noqa: E402
from rasterio import features as rio_features  # noqa: E402

t_import = time.perf_counter()


def transform_for(te, w, h, tr=None):
    # the geotransform gdal_rasterize derives from -te with -ts, or with -tr
    xmin, ymin, xmax, ymax = te
    if tr:
        return Affine(tr[0], 0, xmin, 0, -tr[1], ymax)
    return Affine((xmax - xmin) / w, 0, xmin, 0, -(ymax - ymin) / h, ymax)


def shapes_of(fc, spec):
    attr = spec.get("attribute")
    burn = spec.get("burn", 1)
    # GDAL saturates a burn value to the band's range (W1 burns BuildingIDs up to 100,000 into
    # UInt16: 65,535); rasterio refuses values its dtype cannot hold, so a user clamps them first
    lo, hi = -np.inf, np.inf
    if np.issubdtype(np.dtype(spec["dtype"]), np.integer):
        info = np.iinfo(spec["dtype"])
        lo, hi = info.min, info.max
    for f in fc["features"]:
        g = f.get("geometry")
        if g is None:
            continue
        v = f["properties"][attr] if attr is not None else burn
        yield g, (min(max(v, lo), hi) if v is not None else v)


def burn(fc, spec, transform, w, h):
    return rio_features.rasterize(
        shapes_of(fc, spec), out_shape=(h, w), transform=transform, fill=0,
        all_touched=bool(spec.get("allTouched")), dtype=spec["dtype"])


def main():
    spec = json.loads(sys.argv[1])
    t0 = time.perf_counter()
    with open(spec["src"], "rb") as f:
        doc = json.load(f)
    t1 = time.perf_counter()
    out = {"import": t_import - t_start, "parse": t1 - t0}
    if spec.get("kind") == "jobs":
        w, h = doc["width"], doc["height"]
        arrays = [] if spec.get("dump") else None
        for job in doc["jobs"]:
            arr = burn(job["features"], spec, transform_for(job["te"], w, h), w, h)
            if arrays is not None:
                arrays.append(arr)
        t2 = time.perf_counter()
        out.update(loop=t2 - t1, inner=t2 - t0, jobs=len(doc["jobs"]))
        if arrays is not None:
            np.save(spec["dump"], np.stack(arrays))
    else:
        w, h = spec["width"], spec["height"]
        arr = burn(doc, spec, transform_for(spec["te"], w, h, spec.get("tr")), w, h)
        t2 = time.perf_counter()
        out.update(rasterize=t2 - t1, inner=t2 - t0, shape=list(arr.shape))
        if spec.get("dump"):
            np.save(spec["dump"], arr)
    print(json.dumps(out))


main()
