#!/usr/bin/python3
"""Reference values from scikit-learn and SciPy for tests/cpp/test_reference.cpp.

Run with Debian's python3 (python3-sklearn, python3-scipy), from the repository root:

  /usr/bin/python3 tests/reference/make_reference.py data SEGMENTS.csv   # iris.csv, rfm300*.csv
  Rscript tests/reference/make_reference.R                               # ruspini.csv, r_pam.csv
  /usr/bin/python3 tests/reference/make_reference.py refs                # sklearn_scipy.csv

SEGMENTS.csv is the output of `loyaltylens segment public/samples/online-retail-sample.csv --k 4
--out SEGMENTS.csv`; its first 300 customers give the RFM sample. Every fixture line is
`key,value,value,...` (floats in shortest round-trip form) so the C++ test reads it with parse_csv.
"""
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "reference")
K = {"iris": 3, "ruspini": 4, "rfm300": 4}


def write_matrix(name, header, x):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(",".join(header) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def read_matrix(name):
    return np.loadtxt(os.path.join(OUT, name), delimiter=",", skiprows=1, ndmin=2)


def data(segments_csv):
    iris = load_iris()
    write_matrix("iris.csv", ["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.data)
    raw = np.loadtxt(segments_csv, delimiter=",", skiprows=1, usecols=(2, 3, 4), max_rows=300)
    write_matrix("rfm300_raw.csv", ["recency", "frequency", "monetary"], raw)
    z = StandardScaler().fit_transform(np.log1p(np.maximum(raw, 0)))
    write_matrix("rfm300.csv", ["recency", "frequency", "monetary"], z)


def refs():
    lines = [f"versions,numpy {np.__version__},scipy {scipy.__version__},sklearn {sklearn.__version__}"]

    def put(key, values):
        values = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
        lines.append(key + "," + ",".join(repr(float(v)) for v in values))

    raw = read_matrix("rfm300_raw.csv")
    for name, s in [("standard", StandardScaler().fit(raw)), ("robust", RobustScaler().fit(raw))]:
        put(f"rfm300_raw.{name}.center", s.mean_ if name == "standard" else s.center_)
        put(f"rfm300_raw.{name}.scale", s.scale_)
    mm = MinMaxScaler().fit(raw)
    put("rfm300_raw.minmax.min", mm.data_min_)
    put("rfm300_raw.minmax.range", mm.data_range_)
    put("rfm300_raw.log1p.percentile5", np.percentile(np.log1p(np.maximum(raw, 0)), 5, axis=0))
    put("rfm300_raw.log1p.percentile95", np.percentile(np.log1p(np.maximum(raw, 0)), 95, axis=0))

    for ds, k in K.items():
        x = read_matrix(ds + ".csv")
        km = KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd").fit(x)
        put(f"{ds}.kmeans.inertia", km.inertia_)
        put(f"{ds}.kmeans.labels", km.labels_)
        put(f"{ds}.metrics.silhouette", silhouette_score(x, km.labels_))
        put(f"{ds}.metrics.silhouette_samples", silhouette_samples(x, km.labels_))
        put(f"{ds}.metrics.davies_bouldin", davies_bouldin_score(x, km.labels_))
        put(f"{ds}.metrics.calinski_harabasz", calinski_harabasz_score(x, km.labels_))
        for method in ["ward", "average", "complete", "single"]:
            z = linkage(x, method=method)
            put(f"{ds}.linkage.{method}.z", z)
            for kk in range(2, 7):
                put(f"{ds}.linkage.{method}.cut{kk}", cut_tree(z, n_clusters=kk).ravel())
        for cov in ["full", "diag"]:
            # Fixed start: the parameters sklearn's M-step gives for the k-means labels above.
            resp = np.zeros((x.shape[0], k))
            resp[np.arange(x.shape[0]), km.labels_] = 1
            nk, means, covs = _estimate_gaussian_parameters(x, resp, 1e-6, cov)
            prec = np.array([np.linalg.inv(c) for c in covs]) if cov == "full" else 1.0 / covs
            g = GaussianMixture(k, covariance_type=cov, tol=1e-3, reg_covar=1e-6, max_iter=100, weights_init=nk / len(x),
                                means_init=means, precisions_init=prec, random_state=0).fit(x)
            put(f"{ds}.gmm.{cov}.fixed.score", g.score(x))
            put(f"{ds}.gmm.{cov}.fixed.lower_bound", g.lower_bound_)
            put(f"{ds}.gmm.{cov}.fixed.n_iter", g.n_iter_)
            put(f"{ds}.gmm.{cov}.fixed.bic", g.bic(x))
            put(f"{ds}.gmm.{cov}.fixed.aic", g.aic(x))
            put(f"{ds}.gmm.{cov}.fixed.labels", g.predict(x))
            put(f"{ds}.gmm.{cov}.fixed.weights", g.weights_)
            # The same start run to convergence (LoyaltyLens' defaults: tol 1e-6, at most 300 iterations).
            gc = GaussianMixture(k, covariance_type=cov, tol=1e-6, reg_covar=1e-6, max_iter=300, weights_init=nk / len(x),
                                 means_init=means, precisions_init=prec, random_state=0).fit(x)
            put(f"{ds}.gmm.{cov}.converged.score", gc.score(x))
            put(f"{ds}.gmm.{cov}.converged.n_iter", gc.n_iter_)
            put(f"{ds}.gmm.{cov}.converged.bic", gc.bic(x))
            put(f"{ds}.gmm.{cov}.converged.labels", gc.predict(x))
            g1 = GaussianMixture(k, covariance_type=cov, random_state=0).fit(x)
            put(f"{ds}.gmm.{cov}.default.score", g1.score(x))
        p = PCA(n_components=2).fit(x)
        put(f"{ds}.pca.variance", p.explained_variance_)
        put(f"{ds}.pca.ratio", p.explained_variance_ratio_)
        put(f"{ds}.pca.components", p.components_)
    with open(os.path.join(OUT, "sklearn_scipy.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "data":
        data(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "refs":
        refs()
    else:
        sys.exit(__doc__)
