# Install-time step for Windows (registered by benchtop_setup_gui_bundle, run last by `cmake --install` and CPack):
# makes <prefix>/bin self-contained.
#   1. windeployqt: Qt's DLLs and plugins beside benchtop.exe (and the compiler runtime on MinGW);
#   2. every DLL of libtorch (TORCH_INSTALL_PREFIX/lib/*.dll: some, like the CUDA libraries, are loaded at run
#      time and no import table names them);
#   3. FFmpeg's DLLs (BENCHTOP_FFMPEG_BIN_DIR);
#   4. whatever else the installed executables import and is not part of Windows (curl, zlib, QuaZip,
#      utf8proc...), found by file(GET_RUNTIME_DEPENDENCIES) in BENCHTOP_DLL_DIRS.
# Set before including: BENCHTOP_WINDEPLOYQT, BENCHTOP_WINDEPLOYQT_ARGS, BENCHTOP_TORCH_LIB_DIR,
# BENCHTOP_FFMPEG_BIN_DIR, BENCHTOP_DLL_DIRS, and optionally CMAKE_GET_RUNTIME_DEPENDENCIES_{TOOL,COMMAND}.
set(_prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(_bin "${_prefix}/bin")
set(_exe "${_bin}/benchtop.exe")
if(NOT EXISTS "${_exe}")
  message(FATAL_ERROR "Benchtop deploy: ${_exe} is not installed")
endif()

if(NOT BENCHTOP_WINDEPLOYQT OR NOT EXISTS "${BENCHTOP_WINDEPLOYQT}")
  message(FATAL_ERROR "Benchtop deploy: windeployqt not found ('${BENCHTOP_WINDEPLOYQT}'); it comes with Qt "
                      "(<Qt>/bin/windeployqt.exe)")
endif()
list(JOIN BENCHTOP_WINDEPLOYQT_ARGS " " _args_text)
message(STATUS "Benchtop deploy: windeployqt ${_args_text} ${_exe}")
execute_process(COMMAND "${BENCHTOP_WINDEPLOYQT}" ${BENCHTOP_WINDEPLOYQT_ARGS} "${_exe}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Benchtop deploy: windeployqt failed (${_rc})")
endif()

file(GLOB _torch_dlls "${BENCHTOP_TORCH_LIB_DIR}/*.dll")
if(NOT _torch_dlls)
  message(FATAL_ERROR "Benchtop deploy: no DLLs in '${BENCHTOP_TORCH_LIB_DIR}' (TORCH_INSTALL_PREFIX/lib)")
endif()
message(STATUS "Benchtop deploy: copying libtorch's DLLs into ${_bin}")
file(COPY ${_torch_dlls} DESTINATION "${_bin}")

set(_ffmpeg_dlls)
foreach(_name IN ITEMS avcodec avformat avutil swresample swscale avfilter avdevice postproc)
  file(GLOB _found "${BENCHTOP_FFMPEG_BIN_DIR}/${_name}*.dll" "${BENCHTOP_FFMPEG_BIN_DIR}/lib${_name}*.dll")
  list(APPEND _ffmpeg_dlls ${_found})
endforeach()
if(NOT _ffmpeg_dlls)
  message(FATAL_ERROR "Benchtop deploy: no FFmpeg DLLs (avcodec*.dll...) in '${BENCHTOP_FFMPEG_BIN_DIR}'; "
                      "set BENCHTOP_FFMPEG_BIN_DIR to the folder that holds them")
endif()
message(STATUS "Benchtop deploy: copying FFmpeg's DLLs from ${BENCHTOP_FFMPEG_BIN_DIR}")
file(COPY ${_ffmpeg_dlls} DESTINATION "${_bin}")

file(GLOB _executables "${_bin}/*.exe")
file(GET_RUNTIME_DEPENDENCIES
     EXECUTABLES ${_executables}
     DIRECTORIES ${BENCHTOP_DLL_DIRS}
     PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^nvcuda\\.dll$" "^nvml\\.dll$"
     POST_EXCLUDE_REGEXES "[/\\\\][Ss][Yy][Ss][Tt][Ee][Mm]32[/\\\\]" "[/\\\\][Ww][Ii][Nn][Dd][Oo][Ww][Ss][/\\\\][^/\\\\]*$"
     RESOLVED_DEPENDENCIES_VAR _resolved
     UNRESOLVED_DEPENDENCIES_VAR _unresolved)
foreach(_dll IN LISTS _resolved)
  get_filename_component(_dir "${_dll}" DIRECTORY)
  file(TO_CMAKE_PATH "${_dir}" _dir)
  file(TO_CMAKE_PATH "${_bin}" _bin_norm)
  string(TOLOWER "${_dir}" _dir_lower)
  string(TOLOWER "${_bin_norm}" _bin_lower)
  if(NOT _dir_lower STREQUAL _bin_lower)
    message(STATUS "Benchtop deploy: copying ${_dll}")
    file(COPY "${_dll}" DESTINATION "${_bin}")
  endif()
endforeach()
if(_unresolved)
  list(JOIN _unresolved ", " _unresolved_text)
  list(JOIN BENCHTOP_DLL_DIRS ", " _dirs_text)
  message(WARNING "Benchtop deploy: not found in BENCHTOP_DLL_DIRS (${_dirs_text}): ${_unresolved_text}. "
                  "Add their folders to BENCHTOP_DLL_DIRS, or the installed Benchtop will not start.")
endif()
