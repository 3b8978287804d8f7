// Feature transforms before clustering. Fitted parameters are kept so new customers can be scored
// with the same transform.
#pragma once

#include <Eigen/Dense>

namespace core {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// x ↦ log(1 + max(x, 0)): RFM features are heavy-tailed; negatives (net refunds) clamp to 0.
void log1p_inplace(RowMatrix& x);

/// Standardisation as scikit-learn's StandardScaler: mean 0, population standard deviation 1;
/// a constant column keeps scale 1 (it becomes all zeros).
struct StandardScaler {
  Eigen::VectorXd mean;
  Eigen::VectorXd scale;

  static StandardScaler fit(const RowMatrix& x);
  void transform_inplace(RowMatrix& x) const;
};

}  // namespace core
