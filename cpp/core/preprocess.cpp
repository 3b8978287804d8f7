#include "preprocess.h"

#include <cmath>
#include <limits>

#include "errors.h"

namespace core {
namespace {

void check_finite(const RowMatrix& x) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (!std::isfinite(x(i, j)))
        throw InvalidArgument("row " + std::to_string(i + 1) + ", column " + std::to_string(j + 1) +
                              " holds a value that is not a finite number");
}

// Selected columns, log1p'd if asked: the part of the transform that needs no fitting.
RowMatrix select_and_log(const RowMatrix& x, const std::vector<int>& columns, bool log1p) {
  RowMatrix out(x.rows(), static_cast<Eigen::Index>(columns.size()));
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (std::size_t j = 0; j < columns.size(); ++j) out(i, static_cast<Eigen::Index>(j)) = x(i, columns[j]);
  if (log1p) log1p_inplace(out);
  return out;
}

void clip(RowMatrix& x, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = x(i, j) < lo[j] ? lo[j] : x(i, j) > hi[j] ? hi[j] : x(i, j);
}

}  // namespace

ScalerKind parse_scaler(const std::string& name) {
  if (name == "none") return ScalerKind::kNone;
  if (name == "standard") return ScalerKind::kStandard;
  if (name == "robust") return ScalerKind::kRobust;
  if (name == "minmax") return ScalerKind::kMinMax;
  throw InvalidArgument("scaler \"" + name + "\" is not one of none, standard, robust, minmax");
}

const char* scaler_name(ScalerKind kind) {
  switch (kind) {
    case ScalerKind::kNone: return "none";
    case ScalerKind::kStandard: return "standard";
    case ScalerKind::kRobust: return "robust";
    case ScalerKind::kMinMax: return "minmax";
  }
  return "none";
}

Preprocessor Preprocessor::fit(const RowMatrix& x, const PreprocessParams& p) {
  const Eigen::Index n = x.rows(), d_in = x.cols();
  if (n < 1) throw InvalidArgument("n_samples=0: preprocessing needs at least one row");
  if (!(p.winsor_lo >= 0 && p.winsor_lo < p.winsor_hi && p.winsor_hi <= 100))
    throw InvalidArgument("winsorize percentiles lo=" + std::to_string(p.winsor_lo) +
                          " hi=" + std::to_string(p.winsor_hi) + " should satisfy 0 <= lo < hi <= 100");
  Preprocessor f;
  f.n_input_columns = d_in;
  f.log1p = p.log1p;
  f.scaler = p.scaler;
  if (p.columns.empty()) {
    for (Eigen::Index j = 0; j < d_in; ++j) f.columns.push_back(static_cast<int>(j));
  } else {
    std::vector<bool> seen(static_cast<std::size_t>(d_in), false);
    for (int c : p.columns) {
      if (c < 0 || c >= d_in)
        throw InvalidArgument("column index " + std::to_string(c) + " is outside 0.." + std::to_string(d_in - 1));
      if (seen[static_cast<std::size_t>(c)])
        throw InvalidArgument("column index " + std::to_string(c) + " is chosen twice");
      seen[static_cast<std::size_t>(c)] = true;
    }
    f.columns = p.columns;
  }
  if (f.columns.empty()) throw InvalidArgument("no feature columns: the input has 0 columns");
  check_finite(x);
  RowMatrix v = select_and_log(x, f.columns, f.log1p);
  const Eigen::Index d = v.cols();
  const double inf = std::numeric_limits<double>::infinity();
  f.clip_lo = Eigen::VectorXd::Constant(d, -inf);
  f.clip_hi = Eigen::VectorXd::Constant(d, inf);
  if (p.winsor_lo > 0 || p.winsor_hi < 100) {
    for (Eigen::Index j = 0; j < d; ++j) {
      const std::vector<double> s = sorted_column(v, j);
      if (p.winsor_lo > 0) f.clip_lo[j] = quantile_sorted(s, p.winsor_lo / 100);
      if (p.winsor_hi < 100) f.clip_hi[j] = quantile_sorted(s, p.winsor_hi / 100);
    }
    clip(v, f.clip_lo, f.clip_hi);
  }
  switch (f.scaler) {
    case ScalerKind::kNone:
      f.center = Eigen::VectorXd::Zero(d);
      f.scale = Eigen::VectorXd::Ones(d);
      break;
    case ScalerKind::kStandard: {
      const StandardScaler s = StandardScaler::fit(v);
      f.center = s.mean;
      f.scale = s.scale;
      break;
    }
    case ScalerKind::kRobust: {
      const RobustScaler s = RobustScaler::fit(v);
      f.center = s.center;
      f.scale = s.scale;
      break;
    }
    case ScalerKind::kMinMax: {
      const MinMaxScaler s = MinMaxScaler::fit(v);
      f.center = s.min;
      f.scale = s.range;
      break;
    }
  }
  return f;
}

RowMatrix Preprocessor::transform(const RowMatrix& x) const {
  if (x.cols() != n_input_columns)
    throw InvalidArgument("the rows have " + std::to_string(x.cols()) + " columns; the preprocessor was fitted on " +
                          std::to_string(n_input_columns));
  check_finite(x);
  RowMatrix v = select_and_log(x, columns, log1p);
  clip(v, clip_lo, clip_hi);
  for (Eigen::Index i = 0; i < v.rows(); ++i)
    for (Eigen::Index j = 0; j < v.cols(); ++j) v(i, j) = (v(i, j) - center[j]) / scale[j];
  return v;
}

RowMatrix fit_transform(const RowMatrix& x, const PreprocessParams& params, Preprocessor* fitted) {
  Preprocessor f = Preprocessor::fit(x, params);
  RowMatrix out = f.transform(x);
  if (fitted) *fitted = std::move(f);
  return out;
}

}  // namespace core
