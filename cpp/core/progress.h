// Progress and cancellation as a plain callback, so the core knows nothing of workers or UIs.
#pragma once

#include <functional>

namespace core {

/// Called with a fraction in [0, 1]; return false to stop (the callee then throws Cancelled).
using ProgressFn = std::function<bool(double)>;

}  // namespace core
