# The file kinds Benchtop opens, for every installer: the Linux desktop entry's MimeType and shared-mime-info
# package, the macOS bundle's CFBundleDocumentTypes and the Windows installer's file associations.
# tests/packaging/test_file_types.cpp checks that every extension a task in the registry accepts is listed here
# and reaches each of those files, so a new workload's files cannot be forgotten.
#
# One entry per extension: "<extension without dot>|<MIME type>|<group>". <group> (one word) gathers entries into one
# document type (macOS) / description (Windows); the MIME types are shared-mime-info's names (the ones
# QMimeDatabase reports), except where BENCHTOP_OWN_MIME_TYPES defines a type shared-mime-info lacks.
set(BENCHTOP_FILE_TYPES
    "csv|text/csv|Table"
    "tsv|text/tab-separated-values|Table"
    "txt|text/plain|Text"
    "jsonl|application/x-ndjson|Text"
    "gz|application/gzip|Compressed"
    "wav|audio/x-wav|Audio"
    "flac|audio/flac|Audio"
    "mp3|audio/mpeg|Audio"
    "ogg|audio/ogg|Audio"
    "opus|audio/x-opus+ogg|Audio"
    "m4a|audio/mp4|Audio"
    "aac|audio/aac|Audio"
    "mp4|video/mp4|Video"
    "webm|video/webm|Video"
    "mkv|video/x-matroska|Video"
    "mov|video/quicktime|Video")

# MIME types Debian 12's shared-mime-info does not define, installed as share/mime/packages/<app id>.xml:
# "<MIME type>|<comment>|<glob>[,<glob>...]".
set(BENCHTOP_OWN_MIME_TYPES
    "application/x-ndjson|Newline-delimited JSON|*.jsonl,*.ndjson")

# Display names of the groups (macOS CFBundleTypeName, Windows file type description).
set(BENCHTOP_FILE_GROUP_Table "Table of values (methylation matrix, sample sheet or texts)")
set(BENCHTOP_FILE_GROUP_Text "Text collection")
set(BENCHTOP_FILE_GROUP_Compressed "Compressed table")
set(BENCHTOP_FILE_GROUP_Audio "Audio recording")
set(BENCHTOP_FILE_GROUP_Video "Video with a sound track")

# benchtop_file_types(<out-extensions> <out-mime-types> [GROUP <group>]): the lists, optionally of one group.
function(benchtop_file_types out_ext out_mime)
  cmake_parse_arguments(A "" "GROUP" "" ${ARGN})
  set(exts)
  set(mimes)
  foreach(entry IN LISTS BENCHTOP_FILE_TYPES)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 ext)
    list(GET fields 1 mime)
    list(GET fields 2 group)
    if(A_GROUP AND NOT group STREQUAL A_GROUP)
      continue()
    endif()
    list(APPEND exts "${ext}")
    list(APPEND mimes "${mime}")
  endforeach()
  list(REMOVE_DUPLICATES mimes)
  set(${out_ext} "${exts}" PARENT_SCOPE)
  set(${out_mime} "${mimes}" PARENT_SCOPE)
endfunction()

# The groups in their listed order.
function(benchtop_file_type_groups out)
  set(groups)
  foreach(entry IN LISTS BENCHTOP_FILE_TYPES)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 2 group)
    list(APPEND groups "${group}")
  endforeach()
  list(REMOVE_DUPLICATES groups)
  set(${out} "${groups}" PARENT_SCOPE)
endfunction()
