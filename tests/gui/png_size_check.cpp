// Decodes a PNG with stb_image and checks its size: usage
//   png_size_check FILE WIDTH HEIGHT
// Prints the decoded size and the luma standard deviation; fails (exit 1) when the size differs or the image is a
// single flat colour. Exit 2 for an unreadable file or bad arguments.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <stb_image.h>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: png_size_check FILE WIDTH HEIGHT\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_size_check: cannot decode %s: %s\n", argv[1], stbi_failure_reason());
    return 2;
  }
  double sum = 0, sum2 = 0;
  const long count = static_cast<long>(w) * h;
  for (long k = 0; k < count; ++k) {
    const unsigned char* p = px + k * 3;
    const double l = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    sum += l;
    sum2 += l * l;
  }
  stbi_image_free(px);
  const double mean = count ? sum / count : 0;
  const double sd = count ? std::sqrt(std::max(0.0, sum2 / count - mean * mean)) : 0;
  const int want_w = std::atoi(argv[2]), want_h = std::atoi(argv[3]);
  const bool ok = w == want_w && h == want_h && sd > 1;
  std::printf("%s: %d x %d (want %d x %d), luma stddev %.2f %s\n", argv[1], w, h, want_w, want_h, sd,
              ok ? "ok" : "FAIL");
  return ok ? 0 : 1;
}
