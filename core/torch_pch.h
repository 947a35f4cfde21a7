// Precompiled for every benchtop_core translation unit (see core/CMakeLists.txt). Public headers of
// core never include torch; only .cpp files use it.
#pragma once
#include <torch/torch.h>
