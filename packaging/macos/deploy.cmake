# Install-time step for macOS (registered by benchtop_setup_gui_bundle, run last by `cmake --install` and CPack):
# makes the installed Benchtop.app self-contained and signs it.
#   1. libtorch's dylibs (libtorch*, libc10*, the OpenMP runtime) into Contents/Frameworks;
#   2. macdeployqt: Qt frameworks and plugins, and every other non-system dylib (FFmpeg, curl, QuaZip...);
#   3. codesign: with $BENCHTOP_CODESIGN_IDENTITY (hardened runtime, secure timestamp; optional entitlements in
#      $BENCHTOP_CODESIGN_ENTITLEMENTS), else ad hoc, which Apple silicon needs to run binaries that
#      macdeployqt rewrote.
# Set before including: BENCHTOP_BUNDLE (bundle folder name), BENCHTOP_MACDEPLOYQT, BENCHTOP_TORCH_LIB_DIR.
# Notarisation is done on the DMG after CPack made it (notarize.cmake).
set(_prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(_app "${_prefix}/${BENCHTOP_BUNDLE}")
if(NOT IS_DIRECTORY "${_app}/Contents/MacOS")
  message(FATAL_ERROR "Benchtop deploy: ${_app} is not an installed app bundle")
endif()

set(_frameworks "${_app}/Contents/Frameworks")
file(MAKE_DIRECTORY "${_frameworks}")
file(GLOB _torch_libs
     "${BENCHTOP_TORCH_LIB_DIR}/libtorch*.dylib" "${BENCHTOP_TORCH_LIB_DIR}/libc10*.dylib"
     "${BENCHTOP_TORCH_LIB_DIR}/libomp*.dylib" "${BENCHTOP_TORCH_LIB_DIR}/libiomp*.dylib")
# libtorch_python links Python itself; Benchtop never loads it.
list(FILTER _torch_libs EXCLUDE REGEX "/libtorch_python[^/]*$")
if(NOT _torch_libs)
  message(FATAL_ERROR "Benchtop deploy: no libtorch dylibs in '${BENCHTOP_TORCH_LIB_DIR}' (TORCH_INSTALL_PREFIX/lib)")
endif()
message(STATUS "Benchtop deploy: copying libtorch into ${_frameworks}")
file(COPY ${_torch_libs} DESTINATION "${_frameworks}" FOLLOW_SYMLINK_CHAIN)

if(NOT BENCHTOP_MACDEPLOYQT OR NOT EXISTS "${BENCHTOP_MACDEPLOYQT}")
  message(FATAL_ERROR "Benchtop deploy: macdeployqt not found ('${BENCHTOP_MACDEPLOYQT}'); it comes with Qt "
                      "(<Qt>/bin/macdeployqt)")
endif()
set(_deploy_args "${_app}" -always-overwrite -verbose=1 "-libpath=${BENCHTOP_TORCH_LIB_DIR}")
# The command-line tool, when installed into the bundle, shares its Frameworks.
file(GLOB _extra_executables "${_app}/Contents/MacOS/benchtop-cli")
foreach(_exe IN LISTS _extra_executables)
  list(APPEND _deploy_args "-executable=${_exe}")
endforeach()
list(JOIN _deploy_args " " _args_text)
message(STATUS "Benchtop deploy: macdeployqt ${_args_text}")
execute_process(COMMAND "${BENCHTOP_MACDEPLOYQT}" ${_deploy_args} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Benchtop deploy: macdeployqt failed (${_rc})")
endif()

set(_identity "$ENV{BENCHTOP_CODESIGN_IDENTITY}")
if(_identity)
  set(_sign_args --force --deep --options runtime --timestamp --sign "${_identity}")
  if(DEFINED ENV{BENCHTOP_CODESIGN_ENTITLEMENTS} AND NOT "$ENV{BENCHTOP_CODESIGN_ENTITLEMENTS}" STREQUAL "")
    list(APPEND _sign_args --entitlements "$ENV{BENCHTOP_CODESIGN_ENTITLEMENTS}")
  endif()
  message(STATUS "Benchtop deploy: signing ${_app} as '${_identity}'")
else()
  set(_sign_args --force --deep --sign -)
  message(STATUS "Benchtop deploy: BENCHTOP_CODESIGN_IDENTITY is not set: signing ad hoc (runs on this Mac; "
                 "Gatekeeper rejects it elsewhere and it cannot be notarised)")
endif()
execute_process(COMMAND codesign ${_sign_args} "${_app}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Benchtop deploy: codesign failed (${_rc})")
endif()
execute_process(COMMAND codesign --verify --deep --strict --verbose=2 "${_app}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Benchtop deploy: codesign --verify failed (${_rc})")
endif()
