#!/usr/bin/python3
"""Checks the macOS and Windows packaging files a configure writes, on any OS (ctest packaging:platform-files).

    check_platform_files.py --build-dir <CMAKE_BINARY_DIR> --source-dir <PROJECT_SOURCE_DIR>

- <build>/packaging/macos/Info.plist parses, names the bundle org.benchtop.Benchtop, its CFBundleDocumentTypes
  cover exactly the extensions of packaging/cmake/file_types.cmake (with their MIME types) and its icon exists;
- <build>/packaging/windows/benchtop.rc compiles with x86_64-w64-mingw32-windres (skipped when not installed);
- <build>/packaging/windows/file_associations.nsh registers and unregisters every extension;
- resources/icons/make_icons.py --check passes.
"""

import argparse
import os
import plistlib
import re
import shutil
import subprocess
import sys
import tempfile

APP_ID = "org.benchtop.Benchtop"


def file_types(source_dir):
    """[(ext, mime, group)] from BENCHTOP_FILE_TYPES in file_types.cmake."""
    path = os.path.join(source_dir, "packaging", "cmake", "file_types.cmake")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"set\(\s*BENCHTOP_FILE_TYPES\b(.*?)\)", text, re.S)
    if not block:
        raise SystemExit("check_platform_files: no set(BENCHTOP_FILE_TYPES ...) in %s" % path)
    entries = re.findall(r'"([^"|]+)\|([^"|]+)\|([^"|]+)"', block.group(1))
    if not entries:
        raise SystemExit("check_platform_files: BENCHTOP_FILE_TYPES in %s has no \"ext|mime|group\" entries" % path)
    return entries


def check_plist(build_dir, source_dir, types, errors):
    path = os.path.join(build_dir, "packaging", "macos", "Info.plist")
    if not os.path.isfile(path):
        errors.append("%s is missing (benchtop_setup_gui_bundle not called?)" % path)
        return
    try:
        with open(path, "rb") as f:
            plist = plistlib.load(f)
    except Exception as e:  # plistlib raises several types for malformed XML
        errors.append("%s does not parse: %s" % (path, e))
        return
    if plist.get("CFBundleIdentifier") != APP_ID:
        errors.append("Info.plist: CFBundleIdentifier is %r, expected %r" % (plist.get("CFBundleIdentifier"), APP_ID))
    for key in ("CFBundleExecutable", "CFBundleShortVersionString", "CFBundleVersion", "NSHumanReadableCopyright"):
        if not plist.get(key) or "@" in str(plist.get(key)):
            errors.append("Info.plist: %s is %r (empty or not substituted)" % (key, plist.get(key)))
    icon = plist.get("CFBundleIconFile", "")
    if not os.path.isfile(os.path.join(source_dir, "resources", "icons", icon)):
        errors.append("Info.plist: CFBundleIconFile %r is not in resources/icons" % icon)

    expected_exts = {ext for ext, _, _ in types}
    expected_mime = {(ext, mime) for ext, mime, _ in types}
    seen_exts = []
    doc_types = plist.get("CFBundleDocumentTypes")
    if not isinstance(doc_types, list) or not doc_types:
        errors.append("Info.plist: CFBundleDocumentTypes is missing or empty")
        return
    for doc in doc_types:
        name = doc.get("CFBundleTypeName", "?")
        if not doc.get("CFBundleTypeName"):
            errors.append("Info.plist: a document type has no CFBundleTypeName")
        if doc.get("CFBundleTypeRole") != "Viewer" or doc.get("LSHandlerRank") != "Alternate":
            errors.append("Info.plist: document type %r is not an alternate viewer" % name)
        exts = doc.get("CFBundleTypeExtensions", [])
        mimes = set(doc.get("CFBundleTypeMIMETypes", []))
        seen_exts += exts
        for ext in exts:
            want = {m for e, m in expected_mime if e == ext}
            if not want <= mimes:
                errors.append("Info.plist: document type %r lists .%s without MIME type %s" %
                              (name, ext, ", ".join(sorted(want - mimes))))
    duplicates = sorted({e for e in seen_exts if seen_exts.count(e) > 1})
    if duplicates:
        errors.append("Info.plist: extensions in more than one document type: %s" % ", ".join(duplicates))
    missing = sorted(expected_exts - set(seen_exts))
    extra = sorted(set(seen_exts) - expected_exts)
    if missing:
        errors.append("Info.plist: CFBundleDocumentTypes lacks %s (file_types.cmake)" % ", ".join(missing))
    if extra:
        errors.append("Info.plist: CFBundleDocumentTypes has %s, not in file_types.cmake" % ", ".join(extra))


def read_generated(build_dir, name, errors):
    """(path, text) of packaging/windows/<name> in the build tree; text is None (and an error noted) if absent."""
    path = os.path.join(build_dir, "packaging", "windows", name)
    if not os.path.isfile(path):
        errors.append("%s is missing (benchtop_setup_gui_bundle not called?)" % path)
        return path, None
    with open(path, encoding="utf-8") as f:
        return path, f.read()


def check_rc(build_dir, errors, notes):
    path, text = read_generated(build_dir, "benchtop.rc", errors)
    if text is None:
        return
    if "@" in re.sub(r"//.*", "", text):
        errors.append("benchtop.rc: a @VARIABLE@ was not substituted")
    windres = shutil.which("x86_64-w64-mingw32-windres")
    if not windres:
        notes.append("SKIP windres not installed (x86_64-w64-mingw32-windres): benchtop.rc not compiled")
        return
    with tempfile.TemporaryDirectory() as tmp:
        # With the manifest too, as MinGW builds embed it.
        res = os.path.join(tmp, "benchtop.res")
        run = subprocess.run([windres, "-DBENCHTOP_RC_EMBED_MANIFEST", "-O", "coff", "-i", path, "-o", res],
                             capture_output=True, text=True)
        if run.returncode != 0:
            errors.append("windres cannot compile %s:\n%s%s" % (path, run.stdout, run.stderr))
            return
        if os.path.getsize(res) < 1024:
            errors.append("windres made a %d-byte %s: icon or manifest missing?" % (os.path.getsize(res), res))
            return
    notes.append("benchtop.rc compiles with windres (icon, manifest, version information)")


def check_nsh(build_dir, types, errors):
    path, text = read_generated(build_dir, "file_associations.nsh", errors)
    if text is None:
        return
    macros = dict(re.findall(r"!macro (\w+)\n(.*?)!macroend", text, re.S))
    register = macros.get("BenchtopRegisterFileTypes", "")
    unregister = macros.get("BenchtopUnregisterFileTypes", "")
    if not register or not unregister:
        errors.append("file_associations.nsh lacks the BenchtopRegisterFileTypes/BenchtopUnregisterFileTypes macros")
        return
    exe_command = "'\"$INSTDIR\\bin\\benchtop.exe\" \"%1\"'"
    for ext, _, group in types:
        progid = "Benchtop." + group
        key = '"Software\\Classes\\.%s\\OpenWithProgids"' % ext
        if 'WriteRegStr SHCTX %s "%s" ""' % (key, progid) not in register:
            errors.append("file_associations.nsh: .%s is not registered under OpenWithProgids as %s" % (ext, progid))
        if 'DeleteRegValue SHCTX %s "%s"' % (key, progid) not in unregister:
            errors.append("file_associations.nsh: uninstall does not remove .%s's %s" % (ext, progid))
    for group in sorted({g for _, _, g in types}):
        command = 'WriteRegStr SHCTX "Software\\Classes\\Benchtop.%s\\shell\\open\\command" "" %s' % (group,
                                                                                                     exe_command)
        if command not in register:
            errors.append("file_associations.nsh: ProgID Benchtop.%s has no open command %s" % (group, exe_command))
        if 'DeleteRegKey SHCTX "Software\\Classes\\Benchtop.%s"' % group not in unregister:
            errors.append("file_associations.nsh: uninstall does not remove ProgID Benchtop.%s" % group)
    for name, body in (("install", register), ("uninstall", unregister)):
        if "shell32::SHChangeNotify(i 0x8000000, i 0, i 0, i 0)" not in body:
            errors.append("file_associations.nsh: %s does not call SHChangeNotify" % name)


def check_icons(source_dir, errors, notes):
    script = os.path.join(source_dir, "resources", "icons", "make_icons.py")
    run = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    if run.returncode != 0:
        errors.append("make_icons.py --check failed:\n%s%s" % (run.stdout, run.stderr))
    else:
        notes.append(run.stdout.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()

    types = file_types(args.source_dir)
    errors, notes = [], []
    check_plist(args.build_dir, args.source_dir, types, errors)
    check_rc(args.build_dir, errors, notes)
    check_nsh(args.build_dir, types, errors)
    check_icons(args.source_dir, errors, notes)
    for note in notes:
        print(note)
    for error in errors:
        print("FAIL %s" % error, file=sys.stderr)
    if errors:
        print("check_platform_files: %d problem(s)" % len(errors), file=sys.stderr)
        return 1
    print("check_platform_files: OK (%d extensions in Info.plist and file_associations.nsh)" % len(types))
    return 0


if __name__ == "__main__":
    sys.exit(main())
