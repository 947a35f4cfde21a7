# Writes OUTPUT, a C++ source defining benchtop::methyl::builtinCatalogJson() as the bytes of INPUT
# (resources/catalog/catalog.json). A byte array rather than a string literal: MSVC caps literals at 64 KiB.
# Run at configure time by core/methyl/CMakeLists.txt; the file is rewritten only when its text changes.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hexLength)
math(EXPR size "${hexLength} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n    " bytes "${bytes}")
set(text "// Generated from ${INPUT} by core/methyl/embed_catalog.cmake; do not edit.
#include \"core/methyl/builtin_catalog.h\"

namespace benchtop::methyl {
namespace {
const unsigned char kCatalog[] = {
    ${bytes}0x00};
}  // namespace

std::string_view builtinCatalogJson() {
    return std::string_view(reinterpret_cast<const char*>(kCatalog), ${size});
}

}  // namespace benchtop::methyl
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${text}")
