# Writes OUT, a C++ file defining fabula::training::job_template_files()
# with the contents of FILES (paths under DIR) as raw string literals, so
# fabula-cli carries the job templates of resources/job/ without installing
# them. Run as: cmake -DDIR=... -DOUT=... -DFILES="a;b" -P embed_job_files.cmake
set(delim "fabula_job_file")
set(body "")
foreach(name IN LISTS FILES)
  file(READ "${DIR}/${name}" content)
  string(FIND "${content}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${DIR}/${name} contains )${delim}\" and cannot be embedded")
  endif()
  string(APPEND body "        {\"${name}\", R\"${delim}(${content})${delim}\"},\n")
endforeach()
set(text "// Generated from resources/job/ by training/embed_job_files.cmake; do not edit.
#include \"training/export_job.h\"

namespace fabula::training {

const std::vector<JobFile>& job_template_files() {
    static const std::vector<JobFile> files = {
${body}    };
    return files;
}

} // namespace fabula::training
")
# Unchanged contents keep the old file, so nothing recompiles.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${text}")
