// The target's only content is its header (SwiftPM wants a source file).
#include "CFuzzDriver.h"
