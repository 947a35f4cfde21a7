# macOS and Windows packaging of the GUI, called from app/gui and packaging/:
#   benchtop_setup_gui_bundle(<target>)   right after add_executable(<target> WIN32 MACOSX_BUNDLE ...):
#       macOS: Benchtop.app with packaging/macos/Info.plist.in and benchtop.icns; on install, the catalog, clock
#       tables, demo data and licences in Contents/Resources, then packaging/macos/deploy.cmake (libtorch,
#       macdeployqt, codesign).
#       Windows: packaging/windows/benchtop.rc.in (icon, version information) and benchtop.manifest; on install,
#       packaging/windows/deploy.cmake (windeployqt, libtorch, FFmpeg and the other DLLs).
#   benchtop_platform_cpack_settings()    before include(CPack): packaging/{macos,windows}/cpack.cmake on that OS.
# Both configure, on every platform (so tests/packaging/check_platform_files.py checks them on Linux),
# <build>/packaging/macos/Info.plist, <build>/packaging/windows/benchtop.rc and
# <build>/packaging/windows/file_associations.nsh, from the file kinds of file_types.cmake.
cmake_path(GET CMAKE_CURRENT_LIST_DIR PARENT_PATH _benchtop_packaging_dir)
set_property(GLOBAL PROPERTY BENCHTOP_PACKAGING_DIR "${_benchtop_packaging_dir}")
unset(_benchtop_packaging_dir)

# "$", quotes: as NSIS reads them inside a double-quoted string.
function(_benchtop_nsis_quote out text)
  string(REPLACE "$" "$$" text "${text}")
  string(REPLACE "\"" "$\\\"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

# _benchtop_find_deploy_tool(<out> macdeployqt|windeployqt <what it deploys>): Qt's deploy tool, as a target
# (generator expression) or a program; warns when neither exists.
function(_benchtop_find_deploy_tool out name what)
  if(TARGET Qt6::${name})
    set(${out} "$<TARGET_FILE:Qt6::${name}>" PARENT_SCOPE)
    return()
  endif()
  string(TOUPPER "BENCHTOP_${name}" var)
  find_program(${var} ${name} HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
  if(NOT ${var})
    message(WARNING "${name} not found: `cmake --install` / cpack will stop at deploying ${what}")
  endif()
  set(${out} "${${var}}" PARENT_SCOPE)
endfunction()

function(_benchtop_xml_escape out text)
  string(REPLACE "&" "&amp;" text "${text}")
  string(REPLACE "<" "&lt;" text "${text}")
  string(REPLACE ">" "&gt;" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# benchtop_configure_platform_files(): writes the three files named above (only when their content changes).
function(benchtop_configure_platform_files)
  get_property(packaging_dir GLOBAL PROPERTY BENCHTOP_PACKAGING_DIR)
  include(${packaging_dir}/cmake/file_types.cmake)
  benchtop_file_type_groups(groups)
  if(NOT BENCHTOP_APP_ID)
    set(BENCHTOP_APP_ID "org.benchtop.Benchtop")
  endif()
  if(NOT BENCHTOP_VENDOR)
    set(BENCHTOP_VENDOR "The Benchtop developers")
  endif()
  set(notice "The Benchtop developers. Licensed under the GNU GPL, version 3 or later.")
  set(out_dir "${CMAKE_BINARY_DIR}/packaging")

  # macOS: one CFBundleDocumentTypes entry per group; Benchtop is an alternate viewer, never the default.
  set(BENCHTOP_MACOS_EXECUTABLE Benchtop)
  set(BENCHTOP_COPYRIGHT "Copyright © ${notice}")
  set(BENCHTOP_MACOS_DOCUMENT_TYPES "")
  foreach(group IN LISTS groups)
    if(NOT DEFINED BENCHTOP_FILE_GROUP_${group})
      message(FATAL_ERROR "file_types.cmake: group ${group} has no display name BENCHTOP_FILE_GROUP_${group}")
    endif()
    benchtop_file_types(exts mimes GROUP ${group})
    _benchtop_xml_escape(name "${BENCHTOP_FILE_GROUP_${group}}")
    string(APPEND BENCHTOP_MACOS_DOCUMENT_TYPES
           "    <dict>\n"
           "      <key>CFBundleTypeName</key>\n      <string>${name}</string>\n"
           "      <key>CFBundleTypeRole</key>\n      <string>Viewer</string>\n"
           "      <key>LSHandlerRank</key>\n      <string>Alternate</string>\n"
           "      <key>CFBundleTypeExtensions</key>\n      <array>\n")
    foreach(ext IN LISTS exts)
      _benchtop_xml_escape(ext "${ext}")
      string(APPEND BENCHTOP_MACOS_DOCUMENT_TYPES "        <string>${ext}</string>\n")
    endforeach()
    string(APPEND BENCHTOP_MACOS_DOCUMENT_TYPES "      </array>\n"
           "      <key>CFBundleTypeMIMETypes</key>\n      <array>\n")
    foreach(mime IN LISTS mimes)
      _benchtop_xml_escape(mime "${mime}")
      string(APPEND BENCHTOP_MACOS_DOCUMENT_TYPES "        <string>${mime}</string>\n")
    endforeach()
    string(APPEND BENCHTOP_MACOS_DOCUMENT_TYPES "      </array>\n    </dict>\n")
  endforeach()
  configure_file(${packaging_dir}/macos/Info.plist.in ${out_dir}/macos/Info.plist @ONLY)

  # Windows resources: version strings stay ASCII (rc.exe reads the file in the ANSI code page).
  set(BENCHTOP_COPYRIGHT "Copyright (C) ${notice}")
  set(BENCHTOP_WINDOWS_ICO "${PROJECT_SOURCE_DIR}/resources/icons/benchtop.ico")
  set(BENCHTOP_WINDOWS_MANIFEST "${packaging_dir}/windows/benchtop.manifest")
  configure_file(${packaging_dir}/windows/benchtop.rc.in ${out_dir}/windows/benchtop.rc @ONLY)

  # Windows file associations, !include'd by the NSIS installer (windows/cpack.cmake): one ProgID per group,
  # listed under each extension's OpenWithProgids so Benchtop appears in "Open with" without becoming the
  # default application, and Applications\benchtop.exe\SupportedTypes for the "Open with" chooser.
  set(exe "$INSTDIR\\bin\\benchtop.exe")
  set(classes "Software\\Classes")
  set(app_key "${classes}\\Applications\\benchtop.exe")
  set(install "")
  set(uninstall "")
  foreach(group IN LISTS groups)
    set(progid "Benchtop.${group}")
    _benchtop_nsis_quote(name "${BENCHTOP_FILE_GROUP_${group}}")
    string(APPEND install
           "  ; ${progid}: ${BENCHTOP_FILE_GROUP_${group}}\n"
           "  WriteRegStr SHCTX \"${classes}\\${progid}\" \"\" ${name}\n"
           "  WriteRegStr SHCTX \"${classes}\\${progid}\" \"FriendlyTypeName\" ${name}\n"
           "  WriteRegStr SHCTX \"${classes}\\${progid}\\DefaultIcon\" \"\" \"${exe},0\"\n"
           "  WriteRegStr SHCTX \"${classes}\\${progid}\\shell\\open\\command\" \"\" '\"${exe}\" \"%1\"'\n")
    string(APPEND uninstall "  DeleteRegKey SHCTX \"${classes}\\${progid}\"\n")
    benchtop_file_types(exts mimes GROUP ${group})
    foreach(ext IN LISTS exts)
      string(APPEND install
             "  WriteRegStr SHCTX \"${classes}\\.${ext}\\OpenWithProgids\" \"${progid}\" \"\"\n"
             "  WriteRegStr SHCTX \"${app_key}\\SupportedTypes\" \".${ext}\" \"\"\n")
      string(APPEND uninstall "  DeleteRegValue SHCTX \"${classes}\\.${ext}\\OpenWithProgids\" \"${progid}\"\n")
    endforeach()
  endforeach()
  string(APPEND install
         "  WriteRegStr SHCTX \"${app_key}\" \"FriendlyAppName\" \"Benchtop\"\n"
         "  WriteRegStr SHCTX \"${app_key}\\DefaultIcon\" \"\" \"${exe},0\"\n"
         "  WriteRegStr SHCTX \"${app_key}\\shell\\open\\command\" \"\" '\"${exe}\" \"%1\"'\n")
  string(APPEND uninstall "  DeleteRegKey SHCTX \"${app_key}\"\n")
  # SHCNE_ASSOCCHANGED: Explorer rereads the associations without a logoff.
  set(notify "  System::Call 'shell32::SHChangeNotify(i 0x8000000, i 0, i 0, i 0)'\n")
  file(CONFIGURE OUTPUT ${out_dir}/windows/file_associations.nsh @ONLY CONTENT
"; Generated by packaging/cmake/platform_bundle.cmake from packaging/cmake/file_types.cmake.
; Benchtop's file associations: !insertmacro BenchtopRegisterFileTypes / BenchtopUnregisterFileTypes.
!ifndef BENCHTOP_FILE_ASSOCIATIONS_NSH
!define BENCHTOP_FILE_ASSOCIATIONS_NSH

!macro BenchtopRegisterFileTypes
${install}${notify}!macroend

!macro BenchtopUnregisterFileTypes
${uninstall}${notify}!macroend

!endif
")
endfunction()

# The install steps that must run after every other install rule (the bundle and all files are in place):
# scheduled at the end of the top-level CMakeLists.txt by benchtop_setup_gui_bundle.
function(_benchtop_register_platform_install target)
  get_property(packaging_dir GLOBAL PROPERTY BENCHTOP_PACKAGING_DIR)
  if(APPLE)
    get_target_property(name ${target} OUTPUT_NAME)
    if(NOT name)
      set(name ${target})
    endif()
    set(bundle "${name}.app")
    set(res "${bundle}/Contents/Resources")
    # Benchtop looks for these beside its executable: <exe dir>/../Resources/{catalog.json,clocks}.
    install(FILES ${PROJECT_SOURCE_DIR}/resources/catalog/catalog.json DESTINATION ${res})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/clocks/ DESTINATION ${res}/clocks PATTERN "*.py" EXCLUDE)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/demo/ DESTINATION ${res}/demo PATTERN "*.py" EXCLUDE)
    install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/THIRD_PARTY_NOTICES.md DESTINATION ${res})

    _benchtop_find_deploy_tool(tool macdeployqt Benchtop.app)
    install(CODE "set(BENCHTOP_BUNDLE [==[${bundle}]==])
set(BENCHTOP_MACDEPLOYQT [==[${tool}]==])
set(BENCHTOP_TORCH_LIB_DIR [==[${TORCH_INSTALL_PREFIX}/lib]==])
include([==[${packaging_dir}/macos/deploy.cmake]==])")
  elseif(WIN32)
    _benchtop_find_deploy_tool(tool windeployqt benchtop.exe)
    set(deploy_args --verbose 1 --no-translations)
    if(MSVC)
      # The MSVC runtime DLLs beside the exe (app-local), instead of windeployqt's vc_redist installer.
      list(APPEND deploy_args --no-compiler-runtime)
      set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
      include(InstallRequiredSystemLibraries)
    else()
      list(APPEND deploy_args --compiler-runtime)
    endif()

    # FFmpeg's DLLs: beside its import library (avcodec.lib) or in the bin/ folder next to its lib/.
    if(NOT BENCHTOP_FFMPEG_BIN_DIR)
      find_library(BENCHTOP_AVCODEC_IMPLIB NAMES avcodec libavcodec HINTS ${FFMPEG_LIBRARY_DIRS})
      if(BENCHTOP_AVCODEC_IMPLIB)
        get_filename_component(lib_dir "${BENCHTOP_AVCODEC_IMPLIB}" DIRECTORY)
        file(GLOB beside "${lib_dir}/avcodec*.dll")
        if(beside)
          set(guess "${lib_dir}")
        else()
          get_filename_component(guess "${lib_dir}/../bin" ABSOLUTE)
        endif()
      endif()
    endif()
    set(BENCHTOP_FFMPEG_BIN_DIR "${guess}" CACHE PATH "Folder with FFmpeg's DLLs (avcodec-*.dll...) to ship")

    # Where the other imported DLLs may be: prefixes' bin/ folders and the bin/ beside each found library.
    set(BENCHTOP_DLL_DIRS "" CACHE STRING "More folders with DLLs that benchtop.exe needs (searched on install)")
    set(dll_dirs ${BENCHTOP_DLL_DIRS} "${TORCH_INSTALL_PREFIX}/lib" "${BENCHTOP_FFMPEG_BIN_DIR}")
    if(QT6_INSTALL_PREFIX)
      list(APPEND dll_dirs "${QT6_INSTALL_PREFIX}/bin")
    endif()
    foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
      list(APPEND dll_dirs "${prefix}/bin")
    endforeach()
    if(VCPKG_INSTALLED_DIR AND VCPKG_TARGET_TRIPLET)
      list(APPEND dll_dirs "${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin")
    endif()
    foreach(lib IN ITEMS ${ZLIB_LIBRARY_RELEASE} ${ZLIB_LIBRARY} ${CURL_LIBRARY_RELEASE} ${CURL_LIBRARY}
                         ${UTF8PROC_LIBRARY} ${UTF8PROC_LINK_LIBRARIES} ${FFMPEG_LINK_LIBRARIES})
      if(IS_ABSOLUTE "${lib}")
        get_filename_component(dir "${lib}" DIRECTORY)
        get_filename_component(bin_dir "${dir}/../bin" ABSOLUTE)
        list(APPEND dll_dirs "${dir}" "${bin_dir}")
      endif()
    endforeach()
    if(QuaZip-Qt6_DIR)
      get_filename_component(bin_dir "${QuaZip-Qt6_DIR}/../../../bin" ABSOLUTE)
      list(APPEND dll_dirs "${bin_dir}")
    endif()
    list(REMOVE_DUPLICATES dll_dirs)

    set(runtime_tool "")
    if(MSVC)
      get_filename_component(linker_dir "${CMAKE_LINKER}" DIRECTORY)
      find_program(BENCHTOP_DUMPBIN dumpbin HINTS "${linker_dir}")
      if(BENCHTOP_DUMPBIN)
        set(runtime_tool "set(CMAKE_GET_RUNTIME_DEPENDENCIES_TOOL dumpbin)
set(CMAKE_GET_RUNTIME_DEPENDENCIES_COMMAND [==[${BENCHTOP_DUMPBIN}]==])")
      endif()
    elseif(CMAKE_OBJDUMP)
      set(runtime_tool "set(CMAKE_GET_RUNTIME_DEPENDENCIES_TOOL objdump)
set(CMAKE_GET_RUNTIME_DEPENDENCIES_COMMAND [==[${CMAKE_OBJDUMP}]==])")
    endif()
    install(CODE "set(BENCHTOP_WINDEPLOYQT [==[${tool}]==])
set(BENCHTOP_WINDEPLOYQT_ARGS [==[${deploy_args}]==])
set(BENCHTOP_TORCH_LIB_DIR [==[${TORCH_INSTALL_PREFIX}/lib]==])
set(BENCHTOP_FFMPEG_BIN_DIR [==[${BENCHTOP_FFMPEG_BIN_DIR}]==])
set(BENCHTOP_DLL_DIRS [==[${dll_dirs}]==])
set(CMAKE_GET_RUNTIME_DEPENDENCIES_PLATFORM windows+pe)
${runtime_tool}
include([==[${packaging_dir}/windows/deploy.cmake]==])")
  endif()
endfunction()

# benchtop_setup_gui_bundle(<target>): see the top of this file.
function(benchtop_setup_gui_bundle target)
  benchtop_configure_platform_files()
  get_property(packaging_dir GLOBAL PROPERTY BENCHTOP_PACKAGING_DIR)
  set(out_dir "${CMAKE_BINARY_DIR}/packaging")
  if(APPLE)
    set(icns "${PROJECT_SOURCE_DIR}/resources/icons/benchtop.icns")
    set_source_files_properties(${icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    target_sources(${target} PRIVATE ${icns})
    # Benchtop.app/Contents/MacOS/Benchtop (CFBundleExecutable in Info.plist.in).
    set_target_properties(${target} PROPERTIES
        MACOSX_BUNDLE ON
        OUTPUT_NAME Benchtop
        MACOSX_BUNDLE_INFO_PLIST "${out_dir}/macos/Info.plist")
  elseif(WIN32)
    set(rc "${out_dir}/windows/benchtop.rc")
    target_sources(${target} PRIVATE ${rc})
    if(MSVC)
      # The linker merges it into the manifest it writes (a second manifest resource would collide).
      target_sources(${target} PRIVATE "${packaging_dir}/windows/benchtop.manifest")
    else()
      set_source_files_properties(${rc} PROPERTIES COMPILE_DEFINITIONS BENCHTOP_RC_EMBED_MANIFEST)
    endif()
  endif()
  if(APPLE OR WIN32)
    cmake_language(EVAL CODE
        "cmake_language(DEFER DIRECTORY [==[${CMAKE_SOURCE_DIR}]==] CALL _benchtop_register_platform_install [==[${target}]==])")
  endif()
endfunction()

# benchtop_platform_cpack_settings(): a macro, so the CPACK_* variables land in the caller's scope.
macro(benchtop_platform_cpack_settings)
  benchtop_configure_platform_files()
  get_property(_benchtop_packaging_dir GLOBAL PROPERTY BENCHTOP_PACKAGING_DIR)
  if(APPLE)
    include(${_benchtop_packaging_dir}/macos/cpack.cmake)
  elseif(WIN32)
    include(${_benchtop_packaging_dir}/windows/cpack.cmake)
  endif()
  unset(_benchtop_packaging_dir)
endmacro()
