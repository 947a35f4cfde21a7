#pragma once

#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <vector>

namespace benchtop::engine {

/// The one place where results become visible. Files are written as "<name>.part" and renamed to their final
/// names only once everything succeeded; after a failure or cancel every .part is removed. So a reader (the
/// window, a script watching the folder, a second run's planner) never meets a half-written result.
/// A job has one publisher; single files (writers, view exports) use writeFileAtomically(). Thread-safe.
class OutputPublisher {
public:
    explicit OutputPublisher(std::string folder = {});

    void setFolder(std::string folder);
    std::string folder() const;
    /// "<folder>/<fileName>.part", remembered for publish() / discard(). Throws while there is no folder.
    std::string partPath(const std::string& fileName);
    /// Renames every remembered .part that exists (a writer may decide not to write one) to its final name and
    /// returns the final paths in the order they were first asked for. Throws, naming the file, when a rename
    /// fails.
    std::vector<std::string> publish();
    /// Removes every remembered .part.
    void discard();
    /// Forgets the remembered files (a job starting over).
    void reset();

private:
    mutable std::mutex m_mutex;
    std::string m_folder;
    std::vector<std::string> m_parts;
};

/// Writes `path` through "<path>.part" and a rename: on any exception the .part is removed and the exception
/// rethrown, and `path` is untouched (an earlier version stays whole). Errors name the file.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace benchtop::engine
