#pragma once

#include <functional>
#include <string>

namespace benchtop::test {

/// Absolute path of `relative` inside ../shared (BENCHTOP_SHARED_DIR). Fails the current test with a
/// message naming the missing file instead of skipping it.
std::string sharedPath(const std::string& relative);

/// The message of the exception `f` throws, or "(no error)" when it returns.
std::string errorOf(const std::function<void()>& f);

/// Reads a whole file (fails the test when it cannot).
std::string readFile(const std::string& path);

/// A fresh empty temporary folder for the current test, removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

}  // namespace benchtop::test
