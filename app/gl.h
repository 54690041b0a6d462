// OpenGL 3.3 core entry points: Mesa's libGL exports them, so prototypes are enough (no loader needed).
#pragma once
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
