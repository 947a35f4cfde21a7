# CPack settings for macOS: a drag-and-drop DMG holding Benchtop.app and a link to /Applications. Included by
# benchtop_platform_cpack_settings() (packaging/cmake/platform_bundle.cmake) before include(CPack).
# The app inside is already deployed and signed by the install step (deploy.cmake); notarize.cmake then signs,
# notarises and staples the DMG when BENCHTOP_CODESIGN_IDENTITY / BENCHTOP_NOTARY_PROFILE are set.
set(BENCHTOP_DMG_BACKGROUND "" CACHE FILEPATH "Optional background picture of the DMG window (PNG or TIFF)")
set(BENCHTOP_DMG_DS_STORE_SETUP_SCRIPT "" CACHE FILEPATH
    "Optional AppleScript that lays out the DMG window (CPACK_DMG_DS_STORE_SETUP_SCRIPT)")

set(CPACK_GENERATOR DragNDrop)
set(CPACK_DMG_VOLUME_NAME "Benchtop ${PROJECT_VERSION}")
# lzfse-compressed (ULFO) reads on every macOS Benchtop supports (11+) and is smaller and faster to open than zlib.
set(CPACK_DMG_FORMAT ULFO)
# The volume's icon in Finder.
set(CPACK_PACKAGE_ICON "${PROJECT_SOURCE_DIR}/resources/icons/benchtop.icns")
if(BENCHTOP_DMG_BACKGROUND)
  set(CPACK_DMG_BACKGROUND_IMAGE "${BENCHTOP_DMG_BACKGROUND}")
endif()
if(BENCHTOP_DMG_DS_STORE_SETUP_SCRIPT)
  set(CPACK_DMG_DS_STORE_SETUP_SCRIPT "${BENCHTOP_DMG_DS_STORE_SETUP_SCRIPT}")
endif()
# The licence (CPACK_RESOURCE_FILE_LICENSE, GPL-3.0-or-later) is shown when the DMG is mounted, as the other
# installers show it; the About box and Help › Licences and Notices show it again inside the app.
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE ON)

if(CMAKE_OSX_ARCHITECTURES)
  string(REPLACE ";" "-" _benchtop_arch "${CMAKE_OSX_ARCHITECTURES}")
else()
  set(_benchtop_arch "${CMAKE_SYSTEM_PROCESSOR}")
endif()
set(CPACK_PACKAGE_FILE_NAME "benchtop-${PROJECT_VERSION}-macos-${_benchtop_arch}")
unset(_benchtop_arch)

list(APPEND CPACK_POST_BUILD_SCRIPTS "${CMAKE_CURRENT_LIST_DIR}/notarize.cmake")
