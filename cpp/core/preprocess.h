// Feature preprocessing before clustering, fitted once and kept: choose columns → log1p →
// winsorize → scale. The fitted Preprocessor transforms new rows (new customers, another period)
// exactly as the rows it was fitted on, so their segments can be predicted with the same centres.
#pragma once

#include <string>
#include <vector>

#include "scaling.h"

namespace core {

enum class ScalerKind { kNone, kStandard, kRobust, kMinMax };

/// "none" | "standard" | "robust" | "minmax" (the CLI's and the page's names).
/// @throws InvalidArgument naming the accepted values
ScalerKind parse_scaler(const std::string& name);
const char* scaler_name(ScalerKind kind);

struct PreprocessParams {
  std::vector<int> columns;  ///< 0-based input columns to keep, in this order; empty: all
  bool log1p = false;        ///< x ↦ log(1 + max(x, 0)) (as log1p_inplace)
  double winsor_lo = 0;      ///< clip below this percentile of the fitted data (0: no lower clip)
  double winsor_hi = 100;    ///< clip above this percentile (100: no upper clip)
  ScalerKind scaler = ScalerKind::kStandard;
};

/// A fitted transform. For output column j (input column columns[j]):
///   v = x(:, columns[j]);  v = log1p(max(v, 0)) if log1p;  v = clamp(v, clip_lo[j], clip_hi[j]);
///   out = (v − center[j]) / scale[j]
/// where (center, scale) are (0, 1) for none, (mean, population sd) for standard,
/// (median, IQR) for robust and (min, max − min) for minmax, fitted after log1p and clipping.
/// Winsorizing clips at the percentiles of the fitted data (NumPy's linear interpolation), as
/// pandas' `clip(lower=s.quantile(lo), upper=s.quantile(hi))` does.
struct Preprocessor {
  std::vector<int> columns;
  Eigen::Index n_input_columns = 0;
  bool log1p = false;
  Eigen::VectorXd clip_lo, clip_hi;  ///< ±infinity when that side is not clipped
  ScalerKind scaler = ScalerKind::kStandard;
  Eigen::VectorXd center, scale;

  /// @throws InvalidArgument on a column index out of range or repeated, percentiles outside
  ///         0 ≤ winsor_lo < winsor_hi ≤ 100, no rows, or a value that is not finite
  static Preprocessor fit(const RowMatrix& x, const PreprocessParams& params);

  /// @throws InvalidArgument if x does not have n_input_columns columns or holds a non-finite value
  RowMatrix transform(const RowMatrix& x) const;
};

/// fit then transform the same rows.
RowMatrix fit_transform(const RowMatrix& x, const PreprocessParams& params, Preprocessor* fitted = nullptr);

}  // namespace core
