# CPack: one set of package metadata for every installer. Linux: DEB (dependencies computed by dpkg-shlibdeps
# from the real shared libraries), RPM (rpmbuild's automatic requires) and a relocatable TGZ. macOS and Windows
# settings come from macos/cpack.cmake and windows/cpack.cmake (through platform_bundle.cmake), which set their
# CPACK_GENERATOR and file names.
set(CPACK_PACKAGE_NAME benchtop)
set(CPACK_PACKAGE_VENDOR "The Benchtop developers")
set(CPACK_PACKAGE_CONTACT "The Benchtop developers <maintainers@benchtop.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL ${BENCHTOP_HOMEPAGE})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "local inference for epigenetic clocks, text embeddings and speech")
# Wrapped below 80 columns (Debian policy; CPack keeps the line breaks).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Benchtop runs deep-learning predictions on your own machine: epigenetic\n"
    "clocks on DNA-methylation array data (47 published clocks, coefficient\n"
    "tables included), text embeddings with BERT and XLM-R models and semantic\n"
    "search, and Whisper speech transcription. Drop files onto its window or use\n"
    "benchtop-cli for batch work; it picks CUDA, Apple MPS or the CPU and the\n"
    "precision, and shows live device and throughput charts.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_INSTALL_DIRECTORY Benchtop)
set(CPACK_PACKAGE_EXECUTABLES benchtop Benchtop)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_VERBATIM_VARIABLES ON)

if(UNIX AND NOT APPLE)
  set(CPACK_GENERATOR DEB TGZ)
  find_program(BENCHTOP_RPMBUILD rpmbuild)
  if(BENCHTOP_RPMBUILD)
    list(APPEND CPACK_GENERATOR RPM)
  endif()
  # DEB: `apt install ./benchtop_*.deb` pulls libtorch, Qt, FFmpeg... The Qt platform plugins and a fast BLAS
  # are loaded at run time (dlopen), so dpkg-shlibdeps cannot see them: named here.
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION science)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
  if(BENCHTOP_BUILD_GUI)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-openmp | libopenblas0, qt6-wayland")
  else()
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-openmp | libopenblas0")
  endif()

  # RPM: requires come from rpmbuild's scan of the binaries; the package must not own system folders.
  set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
  set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
  set(CPACK_RPM_PACKAGE_GROUP "Applications/Engineering")
  set(CPACK_RPM_PACKAGE_URL ${BENCHTOP_HOMEPAGE})
  set(CPACK_RPM_PACKAGE_AUTOREQ ON)
  set(CPACK_RPM_COMPRESSION_TYPE xz)
  set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
      /usr/share/applications /usr/share/metainfo /usr/share/mime /usr/share/mime/packages /usr/share/icons
      /usr/share/icons/hicolor /usr/share/man /usr/share/man/man1 /usr/share/licenses /usr/share/doc)
  foreach(size IN LISTS BENCHTOP_ICON_SIZES ITEMS scalable)
    if(size STREQUAL "scalable")
      list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /usr/share/icons/hicolor/scalable
           /usr/share/icons/hicolor/scalable/apps)
    else()
      list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /usr/share/icons/hicolor/${size}x${size}
           /usr/share/icons/hicolor/${size}x${size}/apps)
    endif()
  endforeach()

  # TGZ: a relocatable tree (bin/, share/benchtop/, ...) that runs from any folder; Benchtop finds its catalog,
  # clock tables and demo data relative to its executable. The system provides the same libraries as the DEB.
  # (DEB and RPM name their files themselves: DEB-DEFAULT, RPM-DEFAULT.)
  set(CPACK_PACKAGE_FILE_NAME "benchtop-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")
endif()

benchtop_platform_cpack_settings()

include(CPack)
