// Checks that regions of a screenshot are not blank: usage
//   png_region_check FILE  x0 y0 x1 y1 min_stddev min_distinct_fraction  [more regions ...]
// Coordinates are fractions of the image size. For each region it prints the luma standard deviation and the
// fraction of pixels that differ from the region's most common colour (the background); fails (exit 1) when a
// region is flatter than asked. Exit 2 for an unreadable file or bad arguments.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <stb_image.h>

int main(int argc, char** argv) {
  if (argc < 8 || (argc - 2) % 6 != 0) {
    std::fprintf(stderr, "usage: png_region_check FILE x0 y0 x1 y1 min_stddev min_fraction [...]\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_region_check: cannot read %s\n", argv[1]);
    return 2;
  }
  int failed = 0;
  for (int a = 2; a + 5 < argc; a += 6) {
    const int x0 = static_cast<int>(std::atof(argv[a]) * w), y0 = static_cast<int>(std::atof(argv[a + 1]) * h);
    const int x1 = static_cast<int>(std::atof(argv[a + 2]) * w), y1 = static_cast<int>(std::atof(argv[a + 3]) * h);
    const double min_sd = std::atof(argv[a + 4]), min_frac = std::atof(argv[a + 5]);
    double sum = 0, sum2 = 0;
    long count = 0;
    std::map<unsigned, long> colours;
    for (int y = y0; y < y1 && y < h; ++y) {
      for (int x = x0; x < x1 && x < w; ++x) {
        const unsigned char* p = px + (static_cast<long>(y) * w + x) * 3;
        const double l = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        sum += l;
        sum2 += l * l;
        ++count;
        ++colours[(p[0] << 16) | (p[1] << 8) | p[2]];
      }
    }
    long most = 0;
    for (const auto& [c, k] : colours) most = std::max(most, k);
    const double mean = count ? sum / count : 0;
    const double sd = count ? std::sqrt(std::max(0.0, sum2 / count - mean * mean)) : 0;
    const double frac = count ? 1.0 - static_cast<double>(most) / count : 0;
    const bool ok = count > 0 && sd >= min_sd && frac >= min_frac;
    std::printf("region [%s %s %s %s]: stddev %.2f (>= %.2f), non-background %.3f (>= %.3f) %s\n", argv[a], argv[a + 1],
                argv[a + 2], argv[a + 3], sd, min_sd, frac, min_frac, ok ? "ok" : "FAIL");
    failed += ok ? 0 : 1;
  }
  stbi_image_free(px);
  return failed ? 1 : 0;
}
