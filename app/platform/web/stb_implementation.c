/* Debian's libstb ships stb's implementations as a library; the browser build compiles the two it uses here:
   stb_image_write (screenshots, image exports, PNG inside SVG) and stb_image_resize (core/data's resampling). */
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>
