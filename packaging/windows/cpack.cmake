# CPack settings for Windows: an NSIS installer (Start-menu entry, optional desktop shortcut, optional PATH entry
# for benchtop-cli, Add/Remove Programs entry, "Open with Benchtop" for every file kind of file_types.cmake) and
# a ZIP of the same tree. Included by benchtop_platform_cpack_settings() (packaging/cmake/platform_bundle.cmake)
# before include(CPack). The tree under <prefix>/bin is made self-contained by the install step (deploy.cmake).
#
# NSIS limits an installer to 2 GB: with a CUDA build of libtorch (several GB of DLLs) ship the ZIP.
#
# The strings below hold NSIS text with backslashes and quotes as NSIS must read them; CPACK_VERBATIM_VARIABLES
# hands them to CPack unchanged (without it, each backslash would have to be written four times).
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_GENERATOR NSIS ZIP)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(AMD64|x86_64|amd64)$")
  set(_benchtop_arch x64)
else()
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _benchtop_arch)
endif()
set(CPACK_PACKAGE_FILE_NAME "benchtop-${PROJECT_VERSION}-windows-${_benchtop_arch}")
unset(_benchtop_arch)

set(CPACK_NSIS_PACKAGE_NAME "Benchtop")
set(CPACK_NSIS_DISPLAY_NAME "Benchtop")
# One key for every version, so installing a new version finds and removes the old one.
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "Benchtop")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\benchtop.exe")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/benchtop.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/benchtop.ico")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN benchtop.exe)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
set(CPACK_NSIS_COMPRESSOR "/SOLID lzma")
# Add/Remove Programs: support and information links.
if(BENCHTOP_HOMEPAGE)
  set(CPACK_NSIS_URL_INFO_ABOUT "${BENCHTOP_HOMEPAGE}")
  set(CPACK_NSIS_HELP_LINK "${BENCHTOP_HOMEPAGE}")
endif()
if(CPACK_PACKAGE_CONTACT)
  set(CPACK_NSIS_CONTACT "${CPACK_PACKAGE_CONTACT}")
endif()
# The "Install Options" page: a desktop shortcut (CPACK_CREATE_DESKTOP_LINKS) and adding bin\ to PATH for
# benchtop-cli (off by default). NSIS shows the page only with CPACK_NSIS_MODIFY_PATH on.
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_CREATE_DESKTOP_LINKS benchtop)

# File associations: generated from file_types.cmake into file_associations.nsh by platform_bundle.cmake.
set(_benchtop_nsh "${CMAKE_BINARY_DIR}/packaging/windows/file_associations.nsh")
if(NOT EXISTS "${_benchtop_nsh}")
  message(FATAL_ERROR "${_benchtop_nsh} is missing: call benchtop_configure_platform_files() first")
endif()
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "!include \"${_benchtop_nsh}\"\n  !insertmacro BenchtopRegisterFileTypes")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "!include \"${_benchtop_nsh}\"\n  !insertmacro BenchtopUnregisterFileTypes")
unset(_benchtop_nsh)
