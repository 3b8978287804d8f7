// The only file that knows Emscripten: Embind functions over the core. Values in, values out; no
// C++ object crosses into JS (nothing to .delete()). Every exception becomes {ok:false, error}.
// The API is documented in docs/protocol.md; keep the two in step.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "errors.h"
#include "ingest.h"
#include "segmentation.h"

using emscripten::val;

namespace {

std::unique_ptr<core::Ingest> g_ingest;  // the one ingest in progress (state between chunks)

val ok() {
  val r = val::object();
  r.set("ok", true);
  return r;
}

val error(const char* name, const std::string& message) {
  val e = val::object();
  e.set("name", std::string(name));
  e.set("message", message);
  val r = val::object();
  r.set("ok", false);
  r.set("error", e);
  return r;
}

template <typename F>
val guarded(F&& f) {
  try {
    return f();
  } catch (const core::InputError& e) {
    return error("InputError", e.what());
  } catch (const core::InvalidArgument& e) {
    return error("InvalidArgument", e.what());
  } catch (const std::bad_alloc&) {
    return error("OutOfMemory", "the browser tab ran out of memory for this file; try a smaller date "
                                "range, or the native loyaltylens command-line tool");
  } catch (const std::exception& e) {
    return error("InternalError", e.what());
  }
}

// Copies out at once: a heap view dies when memory grows.
val to_float64(const std::vector<double>& v) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

val to_int32(const std::vector<int>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

std::vector<double> from_float64(const val& a) {
  return emscripten::convertJSArrayToNumberVector<double>(a);
}

val string_list(const std::vector<std::string>& v) {
  val a = val::array();
  for (std::size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return a;
}

val ingest_begin(const val& options) {
  return guarded([&] {
    const std::string name = options["fileName"].isString() ? options["fileName"].as<std::string>() : "file";
    g_ingest = std::make_unique<core::Ingest>(name);
    return ok();
  });
}


// Copies a Uint8Array into the wasm heap in one memcpy (through a typed_memory_view .set()).
val ingest_chunk_bytes(const val& bytes) {
  return guarded([&] {
    if (!g_ingest) throw core::InvalidArgument("ingestChunk called before ingestBegin");
    const std::size_t n = bytes["length"].as<std::size_t>();
    std::vector<char> buf(n);
    val view(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(buf.data())));
    view.call<void>("set", bytes);
    try {
      g_ingest->feed(buf.data(), n);
    } catch (...) {
      g_ingest.reset();  // a failed ingest cannot go on
      throw;
    }
    val r = ok();
    r.set("rowsRead", static_cast<double>(g_ingest->rows()));
    return r;
  });
}

val ingest_finish() {
  return guarded([&] {
    if (!g_ingest) throw core::InvalidArgument("ingestFinish called before ingestBegin");
    std::unique_ptr<core::Ingest> ingest = std::move(g_ingest);
    const core::IngestResult res = ingest->finish();
    const core::IngestSummary& s = res.summary;
    val sum = val::object();
    sum.set("fileName", s.file_name);
    sum.set("bytes", static_cast<double>(s.bytes));
    sum.set("encoding", s.encoding);
    sum.set("delimiter", s.delimiter);
    sum.set("layout", s.layout);
    sum.set("dateFormat", s.date_format);
    sum.set("columns", string_list(s.columns));
    sum.set("rowsRead", static_cast<double>(s.rows_read));
    sum.set("rowsKept", static_cast<double>(s.rows_kept));
    sum.set("rowsNoCustomer", static_cast<double>(s.rows_no_customer));
    sum.set("rowsCancelled", static_cast<double>(s.rows_cancelled));
    sum.set("rowsInvalid", static_cast<double>(s.rows_invalid));
    sum.set("warnings", string_list(s.warnings));
    sum.set("customers", static_cast<double>(res.customers.size()));
    sum.set("firstDate", s.first_date);
    sum.set("lastDate", s.last_date);
    sum.set("asOf", s.as_of);
    std::string ids;
    for (std::size_t i = 0; i < res.customers.ids.size(); ++i) {
      if (i) ids += '\n';
      ids += res.customers.ids[i];
    }
    val r = ok();
    r.set("summary", sum);
    r.set("customerIds", ids);
    r.set("recency", to_float64(res.customers.recency));
    r.set("frequency", to_float64(res.customers.frequency));
    r.set("monetary", to_float64(res.customers.monetary));
    return r;
  });
}

val segment(const val& recency, const val& frequency, const val& monetary, const val& params) {
  return guarded([&] {
    const std::vector<double> r = from_float64(recency), f = from_float64(frequency), m = from_float64(monetary);
    if (r.size() != f.size() || r.size() != m.size())
      throw core::InvalidArgument("recency, frequency and monetary differ in length (" + std::to_string(r.size()) +
                                  ", " + std::to_string(f.size()) + ", " + std::to_string(m.size()) + ")");
    core::SegmentParams p;
    if (params["k"].isNumber()) p.k = params["k"].as<int>();
    if (params["seed"].isNumber()) p.seed = static_cast<std::uint64_t>(params["seed"].as<double>());
    if (params["nInit"].isNumber()) p.n_init = params["nInit"].as<int>();
    const core::Segmentation s = core::segment_customers(r.data(), f.data(), m.data(), r.size(), p);
    std::vector<double> centers(s.centers.data(), s.centers.data() + s.centers.size());
    val segs = val::array();
    for (std::size_t i = 0; i < s.segments.size(); ++i) {
      const auto& g = s.segments[i];
      val o = val::object();
      o.set("segment", g.segment);
      o.set("customers", static_cast<double>(g.customers));
      o.set("meanRecency", g.mean_recency);
      o.set("meanFrequency", g.mean_frequency);
      o.set("meanMonetary", g.mean_monetary);
      o.set("revenue", g.revenue);
      segs.set(i, o);
    }
    val out = ok();
    out.set("labels", to_int32(s.labels));
    out.set("centers", to_float64(centers));
    out.set("inertia", s.inertia);
    out.set("iterations", s.iterations);
    out.set("segments", segs);
    return out;
  });
}

val segments_csv(const val& ids_joined, const val& labels, const val& recency, const val& frequency,
                 const val& monetary) {
  return guarded([&] {
    const std::string joined = ids_joined.as<std::string>();
    std::vector<std::string> ids;
    std::size_t start = 0;
    if (!joined.empty()) {
      while (true) {
        const std::size_t nl = joined.find('\n', start);
        ids.push_back(joined.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    const std::vector<int> l = emscripten::convertJSArrayToNumberVector<int>(labels);
    const std::vector<double> r = from_float64(recency), f = from_float64(frequency), m = from_float64(monetary);
    if (r.size() != ids.size() || f.size() != ids.size() || m.size() != ids.size())
      throw core::InvalidArgument("customer ids and features differ in length");
    val out = ok();
    out.set("csv", core::segments_csv(ids, l, r.data(), f.data(), m.data()));
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(loyaltylens) {
  emscripten::function("ingestBegin", &ingest_begin);
  emscripten::function("ingestChunk", &ingest_chunk_bytes);
  emscripten::function("ingestFinish", &ingest_finish);
  emscripten::function("segment", &segment);
  emscripten::function("segmentsCsv", &segments_csv);
}
