// OpenGL entry points. Desktop: OpenGL 3.3 core, which Mesa's libGL exports, so prototypes are enough (no loader
// needed). Web (UHOP_GLES, set by app/platform/web/CMakeLists.txt): OpenGL ES 3.0, i.e. WebGL 2, whose subset of
// 3.3 core is all the Studio uses (one float texture, one FBO, one full-screen triangle).
#pragma once
#ifdef UHOP_GLES
#include <GLES3/gl3.h>
#else
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
#endif
