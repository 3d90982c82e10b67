// CSupport is header-only (static inline functions Swift imports); SwiftPM needs one source file.
#include "CSupport.h"
