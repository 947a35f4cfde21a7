# CPack post-build script for macOS (CPACK_POST_BUILD_SCRIPTS, set by cpack.cmake): signs each DMG CPack made with
# $BENCHTOP_CODESIGN_IDENTITY, notarises it with the notarytool keychain profile $BENCHTOP_NOTARY_PROFILE
# (`xcrun notarytool store-credentials <profile> ...` once per machine) and staples the ticket. Each step is
# skipped, with a message, when its variable is unset.
set(_identity "$ENV{BENCHTOP_CODESIGN_IDENTITY}")
set(_profile "$ENV{BENCHTOP_NOTARY_PROFILE}")
foreach(_package IN LISTS CPACK_PACKAGE_FILES)
  if(NOT _package MATCHES "\\.dmg$")
    continue()
  endif()
  if(_identity)
    message(STATUS "Benchtop notarize: signing ${_package}")
    execute_process(COMMAND codesign --force --timestamp --sign "${_identity}" "${_package}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "Benchtop notarize: codesign of ${_package} failed (${_rc})")
    endif()
  else()
    message(STATUS "Benchtop notarize: BENCHTOP_CODESIGN_IDENTITY is not set: ${_package} is not signed")
  endif()

  if(NOT _profile)
    message(STATUS "Benchtop notarize: BENCHTOP_NOTARY_PROFILE is not set: ${_package} is not notarised")
    continue()
  endif()
  if(NOT _identity)
    message(FATAL_ERROR "Benchtop notarize: BENCHTOP_NOTARY_PROFILE is set but BENCHTOP_CODESIGN_IDENTITY is not; "
                        "Apple notarises only apps signed with a Developer ID")
  endif()
  message(STATUS "Benchtop notarize: submitting ${_package} (profile ${_profile}); this takes minutes")
  execute_process(COMMAND xcrun notarytool submit "${_package}" --keychain-profile "${_profile}" --wait
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  message(STATUS "${_out}")
  # The verdict is read from the status line as well as the exit code.
  if(NOT _rc EQUAL 0 OR NOT _out MATCHES "status: Accepted")
    message(FATAL_ERROR "Benchtop notarize: notarisation of ${_package} failed; `xcrun notarytool log <id> "
                        "--keychain-profile ${_profile}` shows why")
  endif()
  execute_process(COMMAND xcrun stapler staple "${_package}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "Benchtop notarize: stapler staple ${_package} failed (${_rc})")
  endif()
endforeach()
