"""scikit-learn / SciPy on the same points as ll_cluster_bench (its --data-out CSV): K-Means
(k-means++, n_init=10), GaussianMixture (full), Ward (scipy.cluster.hierarchy.linkage), silhouette,
PCA, and t-SNE (Barnes-Hut, perplexity 30, PCA initialisation, 750 iterations as ours) on the first
3,000 points: the page maps a 3,000-customer sample with t-SNE and places the rest. One JSON line
per measurement, median of the repetitions.

    /usr/bin/python3 bench/peers/sklearn_cluster.py POINTS.csv K REPS [what,…]
"""
import json
import resource
import statistics
import sys
import time

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture

path, k, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None
x = np.loadtxt(path, delimiter=",", skiprows=1)
n = len(x)


def run(what, f, r=reps):
    if only and what not in only:
        return
    times, value = [], None
    for _ in range(r):
        t0 = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"n": n, "what": what, "seconds": statistics.median(times),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "value": float(value)}), flush=True)


labels = KMeans(k, n_init=10, random_state=1).fit(x).labels_
run("kmeans", lambda: KMeans(k, n_init=10, random_state=1).fit(x).inertia_)
run("gmm", lambda: -GaussianMixture(k, random_state=1).fit(x).score(x) * n)
if n <= 20000:
    run("ward", lambda: fcluster(linkage(x, "ward"), k, "maxclust").max(), 1)
    run("silhouette", lambda: silhouette_score(x, labels))
run("pca", lambda: PCA(2).fit(x).explained_variance_ratio_[0])
if n <= 20000:
    run("tsne", lambda: TSNE(2, perplexity=30, init="pca", learning_rate="auto", n_iter=750, random_state=1)
        .fit(x[:3000]).kl_divergence_, 1)
