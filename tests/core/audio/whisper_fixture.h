#pragma once

// A shared tiny Whisper model from ../shared/models, loaded once per test process, with its tokens and tokenizer.

#include <map>
#include <memory>
#include <string>

#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"
#include "core/text/tokenizer.h"
#include "tests/support/shared_paths.h"

namespace benchtop::test {

struct WhisperFixture {
    std::unique_ptr<audio::WhisperModel> model;
    audio::WhisperTokens tokens;
    std::unique_ptr<text::Tokenizer> tokenizer;
};

/// ../shared/models/<name> (e.g. "tiny-whisper-v3"), loaded on first use.
inline const WhisperFixture& whisperFixture(const std::string& name) {
    static std::map<std::string, WhisperFixture> cache;
    WhisperFixture& f = cache[name];
    if (!f.model) {
        const std::string folder = sharedPath("models/" + name);
        f.model = std::make_unique<audio::WhisperModel>(folder);
        f.tokens = audio::WhisperTokens::fromFolder(folder);
        f.tokenizer = std::make_unique<text::Tokenizer>(text::Tokenizer::fromFolder(folder));
    }
    return f;
}

}  // namespace benchtop::test
