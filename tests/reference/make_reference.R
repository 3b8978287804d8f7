# Reference values from R's cluster package (PAM: BUILD + SWAP, Kaufman & Rousseeuw 1990) for
# tests/cpp/test_reference.cpp. Run from the repository root after
# `make_reference.py data SEGMENTS.csv` (it reads iris.csv and rfm300.csv from there):
#
#   Rscript tests/reference/make_reference.R
#
# Writes tests/fixtures/reference/ruspini.csv (cluster's ruspini data) and r_pam.csv, whose lines
# are `key,value,...`: td (Σ distance = objective["swap"] · n), build_td, medoids (0-based rows),
# labels (0-based, in medoid order).
library(cluster)
out <- file.path("tests", "fixtures", "reference")
data(ruspini)
write.table(ruspini, file.path(out, "ruspini.csv"), sep = ",", row.names = FALSE, col.names = c("x", "y"),
            quote = FALSE)
lines <- c(paste0("versions,", R.version.string, ",cluster ", packageVersion("cluster")))
put <- function(key, values) {
  lines <<- c(lines, paste(c(key, format(values, digits = 17, scientific = FALSE, trim = TRUE)), collapse = ","))
}
sets <- list(ruspini = list(x = ruspini, k = 4),
             iris = list(x = read.csv(file.path(out, "iris.csv")), k = 3),
             rfm300 = list(x = read.csv(file.path(out, "rfm300.csv")), k = 4))
for (name in names(sets)) {
  x <- as.matrix(sets[[name]]$x)
  for (k in unique(c(2, sets[[name]]$k, 6))) {
    p <- pam(x, k, metric = "euclidean", stand = FALSE)
    key <- paste0(name, ".pam.k", k)
    put(paste0(key, ".td"), unname(p$objective["swap"]) * nrow(x))
    put(paste0(key, ".build_td"), unname(p$objective["build"]) * nrow(x))
    put(paste0(key, ".medoids"), p$id.med - 1)
    put(paste0(key, ".labels"), p$clustering - 1)
  }
}
writeLines(lines, file.path(out, "r_pam.csv"))
