// Principal component analysis (Pearson, 1901; Hotelling, 1933) for the 2-D scatter of customers.
// The d × d covariance matrix is diagonalised with the cyclic Jacobi method (Golub & Van Loan,
// "Matrix Computations", 4th ed., §8.5.2): plain loops in a fixed order, so native and wasm give the
// same coordinates bit for bit (an Eigen solver's vectorised order would not). Memory O(n·m + d²).
//
// Sign convention (an eigenvector's sign is arbitrary): each component is flipped so that its
// loading of largest absolute value is positive (the first such feature on ties). It depends on
// neither the row order nor the platform. (sklearn flips by the scores instead, so its components
// may differ from these by a sign.)
#pragma once

#include "scaling.h"

namespace core {

struct PcaParams {
  int n_components = 2;
};

struct PcaResult {
  Eigen::VectorXd mean;                      ///< d feature means that were subtracted
  RowMatrix components;                      ///< m × d unit principal axes (sklearn's components_)
  Eigen::VectorXd explained_variance;        ///< m eigenvalues, covariance with n − 1 as sklearn
  Eigen::VectorXd explained_variance_ratio;  ///< m shares of the total variance (0 if it is 0)
  RowMatrix loadings;                        ///< d × m: components' · √explained_variance
  RowMatrix embedding;                       ///< n × m coordinates: (x − mean) · components'
};

/// @param x  n_samples × n_features
/// @throws InvalidArgument if n_samples < 2, n_components < 1 or > min(n_samples, n_features), or a
///         value is not finite
PcaResult pca(const RowMatrix& x, const PcaParams& params = {});

/// Coordinates of new rows on a fitted PCA.
/// @throws InvalidArgument if x does not have the fitted number of columns
RowMatrix pca_transform(const PcaResult& fitted, const RowMatrix& x);

/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: eigenvalues descending
/// (stable for ties), eigenvectors as the columns of `vectors`, signs as in the file comment.
void symmetric_eigen(const RowMatrix& a, Eigen::VectorXd& values, RowMatrix& vectors);

}  // namespace core
