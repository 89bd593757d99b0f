"""Pixel-for-pixel comparison of a benchmark output against gdal_rasterize's GTiff.

usage: python3 compare.py REFERENCE(.tif|.npy) CANDIDATE(.tif|.npy)
Prints one JSON line: shape and dtype of both, the number of differing pixels, the first few
differences (row, col, reference, candidate), and for GTiff candidates whether the geotransform
and SRS match. Reading our GTiff with GDAL's own reader also checks that it is a valid file.
"""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def load(path):
    if path.endswith(".npy"):
        return np.load(path), None
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    return band.ReadAsArray(), {
        "transform": list(ds.GetGeoTransform()),
        "srs": ds.GetSpatialRef().ExportToProj4() if ds.GetSpatialRef() else None,
        "nodata": band.GetNoDataValue(),
        "bands": ds.RasterCount,
    }


ref, ref_meta = load(sys.argv[1])
got, got_meta = load(sys.argv[2])
out = {
    "refShape": list(ref.shape), "shape": list(got.shape),
    "refDtype": str(ref.dtype), "dtype": str(got.dtype),
}
if ref.shape != got.shape:
    out["mismatches"] = None
else:
    diff = ref != got
    if np.issubdtype(ref.dtype, np.floating):
        diff &= ~(np.isnan(ref) & np.isnan(got))
    n = int(diff.sum())
    out["mismatches"] = n
    if n:
        idx = np.argwhere(diff)[:5]
        out["first"] = [[int(v) for v in i] + [ref[tuple(i)].item(), got[tuple(i)].item()] for i in idx]
    if ref.ndim == 3:
        # a stack of job rasters (W5): how many jobs differ at all
        out["jobsDiffer"] = int(diff.reshape(diff.shape[0], -1).any(axis=1).sum())
    out["burned"] = int((ref != 0).sum())
if got_meta is not None:
    out["sameTransform"] = ref_meta["transform"] == got_meta["transform"]
    out["sameSrs"] = ref_meta["srs"] == got_meta["srs"]
    out["sameNodata"] = ref_meta["nodata"] == got_meta["nodata"]
print(json.dumps(out))
