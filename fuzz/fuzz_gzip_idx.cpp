// libFuzzer target: gzip IDX through the streaming loader with its declared-size checks. The input is an IDX
// header and payload that the target gzips itself (so the fuzzer explores headers that lie about sizes behind a
// valid gzip stream), unless it is gzip data already. InputError is the expected answer; a crash, a sanitizer
// report or an allocation past -rss_limit_mb (the limits in fuzz_limits.h keep honest loads far below it) is a bug.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/idx_format.h"
#include "fuzz_limits.h"
#include "numerics/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t variant = data[0];
  ++data;
  --size;
  std::vector<uint8_t> gz(data, data + size);
  if (!(size >= 2 && data[0] == 0x1f && data[1] == 0x8b)) {
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;  // gzip framing
    gz.assign(deflateBound(&z, static_cast<uLong>(size)) + 64, 0);
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = static_cast<uInt>(size);
    z.next_out = gz.data();
    z.avail_out = static_cast<uInt>(gz.size());
    const int status = deflate(&z, Z_FINISH);
    gz.resize(gz.size() - z.avail_out);
    deflateEnd(&z);
    if (status != Z_STREAM_END) return 0;
  }
  try {
    uhop::load_idx_from_memory(gz.data(), gz.size(), "fuzz-images-idx3-ubyte.gz", uhop_fuzz::options(variant));
  } catch (const uhop::InputError&) {
  }
  return 0;
}
