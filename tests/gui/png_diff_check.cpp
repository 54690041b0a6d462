// How much a region of one screenshot differs from the same region of another: usage
//   png_diff_check A.png B.png x0 y0 x1 y1 min_fraction
// Coordinates are fractions of the image size (both images the same size). Prints the fraction of pixels in the region
// whose RGB differ by more than 24 (sum over channels); fails (exit 1) below min_fraction, exit 2 for unreadable files
// or bad arguments. Proves a window really opened over the layout (the region changed).
#include <cstdio>
#include <cstdlib>

#include <stb_image.h>

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: png_diff_check A.png B.png x0 y0 x1 y1 min_fraction\n");
    return 2;
  }
  int wa = 0, ha = 0, wb = 0, hb = 0, n = 0;
  unsigned char* a = stbi_load(argv[1], &wa, &ha, &n, 3);
  unsigned char* b = stbi_load(argv[2], &wb, &hb, &n, 3);
  if (!a || !b || wa != wb || ha != hb) {
    std::fprintf(stderr, "png_diff_check: cannot read %s and %s as images of one size\n", argv[1], argv[2]);
    stbi_image_free(a);
    stbi_image_free(b);
    return 2;
  }
  const int x0 = static_cast<int>(std::atof(argv[3]) * wa), y0 = static_cast<int>(std::atof(argv[4]) * ha);
  const int x1 = static_cast<int>(std::atof(argv[5]) * wa), y1 = static_cast<int>(std::atof(argv[6]) * ha);
  const double need = std::atof(argv[7]);
  long diff = 0, total = 0;
  for (int y = y0; y < y1 && y < ha; ++y) {
    for (int x = x0; x < x1 && x < wa; ++x) {
      const unsigned char* p = a + (static_cast<long>(y) * wa + x) * 3;
      const unsigned char* q = b + (static_cast<long>(y) * wa + x) * 3;
      diff += std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 24;
      ++total;
    }
  }
  stbi_image_free(a);
  stbi_image_free(b);
  const double frac = total > 0 ? static_cast<double>(diff) / total : 0.0;
  std::printf("region [%s %s %s %s] differs in %.3f of its pixels (>= %.3f)%s\n", argv[3], argv[4], argv[5], argv[6],
              frac, need, frac >= need ? " ok" : " FAIL");
  return frac >= need ? 0 : 1;
}
