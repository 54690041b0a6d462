// NumPy .npy and .npz memories (issue 23): header versions, dtypes, byte orders, C and Fortran order, named arrays
// and labels in archives, the writers, and hostile files (lying headers, huge shapes, zip bombs, object arrays).
// The pytest suite (python/tests) checks the same files against NumPy itself.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "data/array_memories.h"
#include "data/memory_sources.h"
#include "data/npy_format.h"
#include "data/npz_archive.h"
#include "loader_test_files.h"
#include "npy_test_files.h"
#include "numerics/input_error.h"

using namespace uhop;
using namespace uhop_test;
using Catch::Matchers::Contains;

namespace {
std::vector<double> counting(int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = 0.5 * i - 1;
  return v;
}

MemorySet load_bytes(const std::vector<uint8_t>& bytes, const std::string& array = "", LoadOptions options = {}) {
  return load_npy_memories_from_memory(bytes.data(), bytes.size(), "t.npy", array, options);
}
}  // namespace

TEST_CASE("npy: float64 C order, every header version", "[npy]") {
  for (int version : {1, 2, 3}) {
    const MemorySet set = load_bytes(npy_f8("(3, 4)", counting(12), version));
    REQUIRE(set.count() == 3);
    REQUIRE(set.dim() == 4);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j) REQUIRE(set.patterns(i, j) == 0.5 * (i * 4 + j) - 1);
    REQUIRE(set.shape.width == 4);  // embeddings: a strip, not an image
    REQUIRE(set.shape.height == 1);
  }
}

TEST_CASE("npy: float32 Fortran order 3-D gives images, C-order flattening", "[npy]") {
  // Shape (2, 3, 4): Fortran order stores index (m, y, x) at m + 2 y + 6 x.
  std::vector<float> values(24);
  for (int m = 0; m < 2; ++m)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 4; ++x) values[m + 2 * y + 6 * x] = static_cast<float>(100 * m + 10 * y + x);
  const MemorySet set =
      load_bytes(npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", raw_values(values)));
  REQUIRE(set.count() == 2);
  REQUIRE(set.shape.width == 4);
  REQUIRE(set.shape.height == 3);
  for (int m = 0; m < 2; ++m)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 4; ++x) REQUIRE(set.patterns(m, y * 4 + x) == 100 * m + 10 * y + x);
}

TEST_CASE("npy: big-endian float64 and uint8 pixels scaled to [0,1]", "[npy]") {
  std::vector<uint8_t> be;
  for (double v : {1.5, -2.0, 3.25, 4.0}) {
    uint8_t bytes[8];
    std::memcpy(bytes, &v, 8);
    for (int k = 7; k >= 0; --k) be.push_back(bytes[k]);
  }
  MemorySet set = load_bytes(npy_bytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", be));
  REQUIRE(set.patterns(0, 0) == 1.5);
  REQUIRE(set.patterns(1, 0) == 3.25);
  set = load_bytes(npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", {0, 255, 51, 102}));
  REQUIRE(set.patterns(0, 1) == 1.0);
  REQUIRE(set.patterns(1, 0) == Approx(0.2));
  REQUIRE_THAT(set.preprocessing, Contains("uint8 scaled to [0,1]"));
}

TEST_CASE("npy: hostile headers are refused with a reason", "[npy][hostile]") {
  const std::string ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
  const std::vector<uint8_t> four = raw_values(counting(4));
  const std::vector<std::pair<std::vector<uint8_t>, std::string>> cases = {
      {npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", raw_values(counting(2))), "object arrays"},
      {npy_bytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", four), "structured"},
      {npy_bytes("{'descr': '<U4', 'fortran_order': False, 'shape': (2, 2), }", four), "not supported"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", four), "more than"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999, 2), }", four),
       "overflows"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 0), }", {}), "empty"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", four), "truncated"},
      {npy_bytes(ok, raw_values(counting(6))), "after the array"},
      {npy_bytes("{'descr': '<f8', 'shape': (2, 2), }", four), "lacks"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'x': 1}", four), "unexpected key"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2, 2), }", four), "neither True"},
      {npy_bytes(ok, raw_values(std::vector<double>{1, NAN, 3, 4})), "NaN"},
      {npy_bytes(ok, four, 4), "version 4"},
      {npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", four), "2-D array (M, d)"},
      {{'P', 'K', 3, 4, 0}, ".npz"},
      {{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0xff, 0xff}, "truncated .npy header"},
      {{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xff, 0xff, 0xff, 0x7f}, "longer than"},
      {{'n', 'o', 'p', 'e', 0, 0, 0, 0, 0, 0, 0, 0}, "magic"},
  };
  for (const auto& [bytes, problem] : cases) {
    INFO(problem);
    REQUIRE_THROWS_AS(load_bytes(bytes), InputError);
    REQUIRE_THROWS_WITH(load_bytes(bytes), Contains(problem));
  }
}

TEST_CASE("npy: the shape is checked against the caller's limit before values are read", "[npy][hostile]") {
  TempDir dir("npy-limit");
  // The header promises 10^6 x 10^3 values and only 32 bytes follow: refused from the header (check_fits).
  write_bytes(dir.file("big.npy"), npy_f8("(1000000, 1000)", counting(4)));
  LoadOptions options;
  options.max_values = options.max_csv_values = 1LL << 40;  // so the caller's check is what refuses it
  options.default_max_count = 0;  // the whole array (not the default caps for sources given without a count)
  options.default_max_values = 0;
  long long asked = -1;
  options.check_fits = [&](long long count, const ImageShape& shape) {
    asked = count * shape.size();
    throw InputError("too big for this caller");
  };
  REQUIRE_THROWS_WITH(load_memories(dir.file("big.npy"), options), Contains("too big"));
  REQUIRE(asked == 1000000000LL);
  options = {};
  options.max_csv_values = 1000;
  REQUIRE_THROWS_WITH(load_memories(dir.file("big.npy"), options), Contains("more than 1000 values"));
}

TEST_CASE("npz: stored and deflated arrays, NAME selection, labels, pick", "[npz]") {
  TempDir dir("npz");
  const std::vector<uint8_t> x = npy_f8("(6, 2)", counting(12));
  const std::vector<uint8_t> y = npy_f8("(2, 2)", {9, 8, 7, 6});
  const std::vector<uint8_t> labels = npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (6,), }",
                                                raw_values(std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  for (bool deflated : {false, true}) {
    write_bytes(dir.file("a.npz"), zip_bytes({{"X.npy", x, deflated}, {"Y.npy", y, deflated}}));
    REQUIRE(load_memories(dir.file("a.npz:Y")).patterns(1, 1) == 6);
    REQUIRE(load_memories(dir.file("a.npz:X")).patterns(5, 1) == counting(12)[11]);
    REQUIRE_THROWS_WITH(load_memories(dir.file("a.npz")), Contains("X, Y") && Contains("NAME"));
    REQUIRE_THROWS_WITH(load_memories(dir.file("a.npz:Z")), Contains("no array 'Z'"));
    write_bytes(dir.file("b.npz"), zip_bytes({{"labels.npy", labels, deflated}, {"X.npy", x, deflated}}));
    const MemorySet set = load_memories(dir.file("b.npz"));  // the one array besides labels
    REQUIRE(set.labels == std::vector<int>{0, 1, 2, 0, 1, 2});
    REQUIRE(set.source == dir.file("b.npz") + ":X");
    LoadOptions options;
    options.pick = Pick::per_class;
    options.count = 3;
    const MemorySet picked = load_memories(dir.file("b.npz"), options);
    REQUIRE(picked.labels == std::vector<int>{0, 1, 2});  // round-robin over the classes
  }
}

TEST_CASE("npz: hostile archives are refused before inflating", "[npz][hostile]") {
  TempDir dir("npz-hostile");
  const std::vector<uint8_t> x = npy_f8("(2, 2)", counting(4));
  // 4 GB of zeros would deflate to ~4 MB; here the directory simply declares 4 GB for a few bytes: a bomb by ratio.
  ZipEntry bomb{"X.npy", x, true};
  bomb.declared_size = 0xfffffff0;
  ZipEntry big{"X.npy", x, false};
  big.declared_size = 1 << 20;  // stored with two sizes
  ZipEntry crc{"X.npy", x, true};
  crc.declared_crc = 1234;
  ZipEntry encrypted{"X.npy", x, false};
  encrypted.flags = 1;
  ZipEntry bzip2{"X.npy", x, false};
  bzip2.method = 12;
  ZipEntry short_size{"X.npy", x, true};
  short_size.declared_size = static_cast<int64_t>(x.size()) - 8;  // refused from the directory: not the header's size
  std::vector<uint8_t> x_and_more = x;
  x_and_more.resize(x.size() + 8, 0);
  ZipEntry more_than_declared{"X.npy", x_and_more, true};
  more_than_declared.declared_size = static_cast<int64_t>(x.size());  // what the header says, but deflate gives more
  const std::vector<uint8_t> whole = zip_bytes({{"X.npy", x, false}});
  const std::vector<std::pair<std::vector<uint8_t>, std::string>> cases = {
      {zip_bytes({bomb}), "zip bomb"},
      {zip_bytes({big}), "two different sizes"},
      {zip_bytes({crc}), "CRC-32"},
      {zip_bytes({encrypted}), "encrypted"},
      {zip_bytes({bzip2}), "method 12"},
      {zip_bytes({short_size}), "truncated .npy"},
      {zip_bytes({more_than_declared}), "larger than its declared size"},
      {std::vector<uint8_t>(whole.begin(), whole.end() - 5), "end-of-directory"},
  };
  for (const auto& [bytes, problem] : cases) {
    INFO(problem);
    write_bytes(dir.file("h.npz"), bytes);
    REQUIRE_THROWS_WITH(load_memories(dir.file("h.npz")), Contains(problem));
  }
  // A real bomb by cap: 64 MB of zeros deflate to ~64 KB, and the caller holds at most 1000 values.
  const std::vector<uint8_t> zeros(64 << 20, 0);
  write_bytes(dir.file("z.npz"), zip_bytes({{"X.npy", zeros, true}}));
  LoadOptions options;
  options.max_csv_values = 1000;
  REQUIRE_THROWS_WITH(load_memories(dir.file("z.npz"), options), Contains("more than the"));
  // A lying central directory offset.
  std::vector<uint8_t> lying = zip_bytes({{"X.npy", x, false}});
  lying[lying.size() - 6] = 0xf0;  // directory offset far past the end
  write_bytes(dir.file("l.npz"), lying);
  REQUIRE_THROWS_WITH(load_memories(dir.file("l.npz")), Contains("truncated zip central directory"));
}

TEST_CASE("npy writers: matrices round-trip, tables name their columns", "[npy]") {
  Matrix m(2, 3);
  m << 1, 2.5, -3, 1e-300, 4e300, 0.1;
  std::ostringstream out;
  write_npy_matrix(out, m);
  const std::string s = out.str();
  const std::vector<uint8_t> bytes(s.begin(), s.end());
  REQUIRE(bytes.size() % 8 == 0);
  const NpyHeader h = parse_npy_header(bytes.data(), bytes.size(), "w.npy", 100);
  REQUIRE(h.data_offset % 64 == 0);
  REQUIRE(npy_matrix(h, bytes.data(), bytes.size(), "w.npy") == m);
  std::ostringstream table;
  write_npy_table(table, {"step", "loss"}, {{0, 1}, {2.5, NAN}});
  REQUIRE_THAT(table.str(), Contains("[('step', '<f8'), ('loss', '<f8'), ]") && Contains("'shape': (2,)"));
  REQUIRE(table.str().size() % 64 == 4 * 8);  // header padded to 64 bytes, then 2 records of 2 doubles
}

TEST_CASE("npz source names split at the last .npz:", "[npz]") {
  REQUIRE(split_npz_source("a.npz") == std::make_pair(std::string("a.npz"), std::string()));
  REQUIRE(split_npz_source("d/a.NPZ:emb") == std::make_pair(std::string("d/a.NPZ"), std::string("emb")));
  REQUIRE(split_npz_source("x.csv") == std::make_pair(std::string("x.csv"), std::string()));
  REQUIRE(is_npy_source("a.npz:X"));
  REQUIRE(!is_npy_source("a.csv"));
}

TEST_CASE("files named inside another data file: npy header text, npz member names and IDX magic never echoed",
          "[npy][npz][idx][hostile][provenance]") {
  TempDir dir("provenance");
  const std::vector<uint8_t> four = raw_values(std::vector<double>{1, 2, 3, 4});
  write_bytes(dir.file("descr.npy"),
              npy_bytes("{'descr': 'TOP-SECRET-descr', 'fortran_order': False, 'shape': (2, 2)}", four));
  write_bytes(dir.file("order.npy"), npy_bytes("{'descr': '!f8', 'fortran_order': False, 'shape': (2, 2)}", four));
  write_bytes(dir.file("key.npy"), npy_bytes("{'descr': '<f8', 'TOP-SECRET': False, 'shape': (2, 2)}", four));
  const std::vector<uint8_t> x = npy_f8("(2, 2)", {1, 2, 3, 4});
  write_bytes(dir.file("members.npz"), zip_bytes({{"TOP-SECRET-member.npy", x}, {"b.npy", x}}));
  ZipEntry locked{"TOP-SECRET-locked.npy", x};
  locked.flags = 1;
  write_bytes(dir.file("locked.npz"), zip_bytes({locked}));
  write_bytes(dir.file("secret-idx"), {'T', 'O', 'P', '-', 'S', 'E', 'C', 'R', 'E', 'T', '\n'});
  LoadOptions inside;  // as a session's memories.source is loaded
  inside.quote_content = false;
  const auto message = [&](const std::string& src, const LoadOptions& options) {
    try {
      load_memories(src, options);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {dir.file("descr.npy"), "dtype (ending at byte"},
      {dir.file("order.npy"), "unknown byte order"},
      {dir.file("key.npy"), "unexpected key (ending at byte"},
      {dir.file("members.npz"), "holds several arrays (2 entries)"},
      {dir.file("members.npz") + ":x", "has no array 'x' (2 entries)"},
      {dir.file("locked.npz"), "entry 1 is encrypted"},
      {dir.file("secret-idx"), "wrong IDX magic: byte 0"}};
  for (const auto& [src, kind] : cases) {
    INFO(src);
    const std::string from_inside = message(src, inside);
    CHECK_THAT(from_inside, Contains(kind));
    CHECK_THAT(from_inside, !Contains("TOP") && !Contains("54 4f") && !Contains("!f8"));
  }
  // An archive of one array loads; the memories' source is then the archive as named, not ARCHIVE:MEMBER (the
  // "memories:" line printed the member's name), and a member that fails is named by its number.
  write_bytes(dir.file("one.npz"), zip_bytes({{"TOP-SECRET-only.npy", x}}));
  CHECK_THAT(load_memories(dir.file("one.npz"), inside).source, !Contains("TOP"));
  CHECK_THAT(load_memories(dir.file("one.npz")).source, Contains("TOP-SECRET-only"));
  ZipEntry wrong_crc{"TOP-SECRET-crc.npy", x};
  wrong_crc.declared_crc = 7;
  write_bytes(dir.file("crc.npz"), zip_bytes({wrong_crc}));
  CHECK_THAT(message(dir.file("crc.npz"), inside), Contains("(entry 1)") && Contains("CRC-32") && !Contains("TOP"));
  CHECK_THAT(message(dir.file("crc.npz"), {}), Contains("TOP-SECRET-crc"));
  // Named by the user: a short excerpt helps them fix their file.
  CHECK_THAT(message(dir.file("descr.npy"), {}), Contains("'TOP-SECRET-descr'"));
  CHECK_THAT(message(dir.file("members.npz") + ":x", {}), Contains("TOP-SECRET-member"));
}

TEST_CASE("npy/npz: only the rows taken are read, in pick order, whatever the layout", "[npy][npz]") {
  TempDir dir("npy-rows");
  // 7 rows of 2 x 3 images in C and Fortran order, stored and deflated: every pick must give the rows (and labels) a
  // whole read would, in the same order.
  std::vector<double> c_order(42), fortran(42);
  for (int m = 0; m < 7; ++m)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) c_order[m * 6 + y * 3 + x] = fortran[m + 7 * y + 14 * x] = 100 * m + 10 * y + x;
  const std::vector<uint8_t> labels = npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (7,), }",
                                                raw_values(std::vector<int32_t>{3, 1, 3, 0, 1, 3, 0}));
  for (bool fortran_order : {false, true})
    for (bool deflated : {false, true}) {
      const std::vector<uint8_t> x = npy_bytes(std::string("{'descr': '<f8', 'fortran_order': ") +
                                                   (fortran_order ? "True" : "False") + ", 'shape': (7, 2, 3), }",
                                               raw_values(fortran_order ? fortran : c_order));
      write_bytes(dir.file("a.npz"), zip_bytes({{"labels.npy", labels, deflated}, {"X.npy", x, deflated}}));
      for (Pick pick : {Pick::first, Pick::random, Pick::per_class}) {
        LoadOptions options;
        options.pick = pick;
        options.offset = 1;
        options.count = 4;
        options.seed = 5;
        const MemorySet set = load_memories(dir.file("a.npz"), options);
        REQUIRE(set.count() == 4);
        for (int i = 0; i < 4; ++i) {
          const int m = std::stoi(set.names[i].substr(set.names[i].rfind('#') + 1));
          INFO("pick " << static_cast<int>(pick) << " row " << i << " is item " << m);
          if (pick == Pick::first) REQUIRE(m == i + 1);
          REQUIRE(set.labels[i] == std::vector<int>{3, 1, 3, 0, 1, 3, 0}[m]);
          for (int j = 0; j < 6; ++j) REQUIRE(set.patterns(i, j) == 100 * m + 10 * (j / 3) + j % 3);
        }
        if (pick == Pick::per_class) REQUIRE(set.labels == std::vector<int>{0, 1, 3, 0});
      }
    }
}

TEST_CASE("files named inside another data file: CIFAR label bytes, IDX header numbers, npy shapes never echoed",
          "[npy][npz][idx][cifar][hostile][provenance]") {
  TempDir dir("provenance-numbers");
  // Values spelling a marker: 4242 and 0x41554449 = 1096107081 ("AUDI") must not come back from a session's source.
  std::vector<uint8_t> cifar(3 * 3073, 0);
  cifar[2 * 3073] = 65;  // record 2's label: 'A'
  write_bytes(dir.file("data_batch_7.bin"), cifar);
  write_bytes(dir.file("dims-images-idx3-ubyte"), {0, 0, 8, 3, 'A', 'U', 'D', 'I', 0, 0, 0, 1, 0, 0, 0, 1});
  std::vector<uint8_t> four = {0, 0, 8, 4, 0, 0, 0x10, 0x92, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  four.resize(four.size() + 4242, 0);  // as long as its 4 dimensions say
  write_bytes(dir.file("four-images-idx3-ubyte"), four);
  write_bytes(dir.file("float-images-idx3-ubyte"), {0, 0, 0x0e, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4});
  write_bytes(dir.file("many-images-idx3-ubyte"), {0, 0, 8, 3, 2, 0, 0x10, 0x92, 0, 0, 0, 1, 0, 0, 0, 1});
  write_bytes(dir.file("shape.npy"), npy_f8("(1, 1, 1, 4242)", std::vector<double>(4242, 1.0)));
  write_bytes(dir.file("short.npy"), npy_f8("(4242, 2)", {1, 2, 3, 4}));
  std::vector<uint8_t> version = npy_f8("(2, 2)", {1, 2, 3, 4});
  version[6] = 'A';
  write_bytes(dir.file("version.npy"), version);
  ZipEntry bomb{"x.npy", npy_f8("(2, 2)", {1, 2, 3, 4}), true};
  bomb.declared_size = 4242424242;
  write_bytes(dir.file("bomb.npz"), zip_bytes({bomb}));
  const std::vector<uint8_t> labels =
      npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (4242,), }", std::vector<uint8_t>(8 * 4242, 0));
  write_bytes(dir.file("labels.npz"), zip_bytes({{"x.npy", npy_f8("(2, 2)", {1, 2, 3, 4})}, {"labels.npy", labels}}));
  LoadOptions inside;  // as a session's memories.source is loaded
  inside.quote_content = false;
  const auto message = [&](const std::string& src, LoadOptions options) {
    std::vector<std::string> warnings;
    try {
      load_memories(src, options, &warnings);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return warnings.empty() ? std::string("(loaded)") : warnings.front();
  };
  LoadOptions record_2 = inside;
  record_2.offset = 2;
  CHECK_THAT(message(dir.file("data_batch_7.bin"), record_2), Contains("record 2") && !Contains("65"));
  CHECK_THAT(message(dir.file("data_batch_7.bin"),
                     [] {
                       LoadOptions o;
                       o.offset = 2;
                       return o;
                     }()),
             Contains("label 65"));  // the user's own file: the value helps
  const std::vector<std::pair<std::string, std::string>> cases = {
      {dir.file("dims-images-idx3-ubyte"), "IDX header"},
      {dir.file("four-images-idx3-ubyte"), "this file has another number"},
      {dir.file("float-images-idx3-ubyte"), "not unsigned byte"},
      {dir.file("many-images-idx3-ubyte"), "dimensions promise more bytes"},
      {dir.file("shape.npy"), "got 4 dimensions"},
      {dir.file("short.npy"), "truncated .npy"},
      {dir.file("version.npy"), "(byte 6)"},
      {dir.file("bomb.npz"), "zip bomb"},
      {dir.file("labels.npz"), "not one integer per memory"},
  };
  for (const auto& [src, kind] : cases) {
    INFO(src);
    const std::string from_inside = message(src, inside);
    CHECK_THAT(from_inside, Contains(kind));
    CHECK_THAT(from_inside, !Contains("4242") && !Contains("1096107081") && !Contains("4242424242") &&
                                !Contains("65.") && !Contains("float64") && !Contains("33558674"));
  }
  CHECK_THAT(message(dir.file("dims-images-idx3-ubyte"), {}), Contains("1096107081"));
  CHECK_THAT(message(dir.file("shape.npy"), {}), Contains("(1, 1, 1, 4242)"));
  CHECK_THAT(message(dir.file("labels.npz"), {}), Contains("(4242,)"));
}
