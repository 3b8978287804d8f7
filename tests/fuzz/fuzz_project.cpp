// libFuzzer target: the project-file reader on arbitrary bytes. Beyond "no crash, no sanitizer
// report": every refusal is an InputError (syntax) or an InvalidArgument (content), and a file it
// accepts writes back to JSON that reads again to the same model, byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "errors.h"
#include "model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  core::FittedModel m;
  try {
    m = core::read_project(text, "fuzz.json");
  } catch (const core::InputError&) {
    return 0;
  } catch (const core::InvalidArgument&) {
    return 0;
  }
  const std::string once = core::dump_json(core::model_to_json(m), 2);
  const std::string twice = core::dump_json(core::model_to_json(core::read_project(once, "again.json")), 2);
  if (once != twice) std::abort();
  return 0;
}
