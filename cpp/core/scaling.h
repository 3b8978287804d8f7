// Feature transforms before clustering: log1p, quantiles, and the three scalers of scikit-learn's
// preprocessing module that segmentation uses. Fitted parameters are kept so new customers can be
// scored with the same transform. preprocess.h chains them into one fitted Preprocessor.
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace core {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// x ↦ log(1 + max(x, 0)): RFM features are heavy-tailed; negatives (net refunds) clamp to 0.
void log1p_inplace(RowMatrix& x);

/// Quantile q ∈ [0, 1] of ascending `sorted` values, interpolated linearly between order statistics
/// at position (n − 1)·q: NumPy's default ('linear', Hyndman & Fan type 7) with its two-sided lerp,
/// so the values match np.percentile bit for bit. Empty input gives NaN.
double quantile_sorted(const std::vector<double>& sorted, double q);

/// Median of ascending values as numpy.median: the middle value, or the mean of the two middle ones.
double median_sorted(const std::vector<double>& sorted);

/// The values of column j of x, ascending.
std::vector<double> sorted_column(const RowMatrix& x, Eigen::Index j);

/// Standardisation as scikit-learn's StandardScaler: mean 0, population standard deviation 1;
/// a constant column keeps scale 1 (it becomes all zeros).
struct StandardScaler {
  Eigen::VectorXd mean;
  Eigen::VectorXd scale;

  static StandardScaler fit(const RowMatrix& x);
  void transform_inplace(RowMatrix& x) const;
};

/// Median and interquartile range as scikit-learn's RobustScaler with its defaults
/// (with_centering, with_scaling, quantile_range=(25, 75), unit_variance=False): x ↦ (x − median)/IQR,
/// an IQR below 10·machine epsilon counts as 1. Insensitive to the outliers RFM data is full of.
struct RobustScaler {
  Eigen::VectorXd center;
  Eigen::VectorXd scale;

  static RobustScaler fit(const RowMatrix& x);
  void transform_inplace(RowMatrix& x) const;
};

/// Rescaling to [0, 1] as scikit-learn's MinMaxScaler: x ↦ (x − min)/(max − min), a range below
/// 10·machine epsilon counts as 1. New rows outside the fitted range map outside [0, 1].
struct MinMaxScaler {
  Eigen::VectorXd min;
  Eigen::VectorXd range;

  static MinMaxScaler fit(const RowMatrix& x);
  void transform_inplace(RowMatrix& x) const;
};

}  // namespace core
