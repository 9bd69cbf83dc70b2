# Writes the package's copyright file: the header, Fabula's license, and the
# licenses of what the package bundles from the torch wheel (its dist-info's
# LICENSE and the license of each third-party component, as the wheel ships
# them), so the file follows the wheel the build used. Full texts of the
# Apache 2.0 and GPL licenses are replaced by a pointer to Debian's
# /usr/share/common-licenses, as Debian policy asks.
# cmake -DOUT=... -DHEADER=... -DTORCH_LIB_DIR=... -DPROJECT_ROOT=... -P make_copyright.cmake
file(READ ${HEADER} text)
file(READ ${PROJECT_ROOT}/LICENSE fabula_license)
string(APPEND text "\n==> Fabula (MIT)\n\n${fabula_license}")
file(GLOB dist_info LIST_DIRECTORIES true "${TORCH_LIB_DIR}/../../torch-*.dist-info")
if(NOT dist_info)
  message(FATAL_ERROR "no torch-*.dist-info beside ${TORCH_LIB_DIR}: cannot collect libtorch's licenses")
endif()
list(GET dist_info 0 dist_info)
set(root ${dist_info}/licenses)
# The wheel's own license, then one per component: third_party/NAME/LICENSE*
# and third_party/NAME/SUB/LICENSE* (a component's vendored library), not
# the licenses of their tests, docs or language bindings.
file(GLOB top RELATIVE ${root} ${root}/LICENSE* ${root}/NOTICE*)
file(GLOB level1 RELATIVE ${root} ${root}/third_party/*/LICENSE* ${root}/third_party/*/COPYING*)
file(GLOB level2 RELATIVE ${root} ${root}/third_party/*/*/LICENSE* ${root}/third_party/*/*/COPYING*)
set(licenses ${level1} ${level2})
list(FILTER licenses EXCLUDE REGEX "/(test|tests|docs|doc|python|dart|swift|java|js|go|benchmarks?)/")
list(SORT licenses)
foreach(name IN LISTS top licenses)
  if(IS_DIRECTORY ${root}/${name})
    continue()
  endif()
  file(READ ${root}/${name} body)
  string(FIND "${body}" "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" apache)
  string(FIND "${body}" "GNU GENERAL PUBLIC LICENSE" gpl)
  if(NOT apache EQUAL -1)
    # Keep what precedes the license (copyright lines, notices), and what
    # follows its end (often further licenses of bundled code).
    string(FIND "${body}" "Apache License" start)
    string(FIND "${body}" "END OF TERMS AND CONDITIONS" end)
    set(before "")
    set(after "")
    if(start GREATER 0)
      string(SUBSTRING "${body}" 0 ${start} before)
    endif()
    if(NOT end EQUAL -1)
      math(EXPR end "${end} + 27")
      string(SUBSTRING "${body}" ${end} -1 after)
      # The appendix on how to apply the license is part of its text too.
      string(FIND "${after}" "APPENDIX: How to apply the Apache License" appendix)
      if(NOT appendix EQUAL -1)
        string(FIND "${after}" "limitations under the License." appendix_end)
        if(NOT appendix_end EQUAL -1)
          math(EXPR appendix_end "${appendix_end} + 30")
          string(SUBSTRING "${after}" ${appendix_end} -1 after)
        endif()
      endif()
    endif()
    set(body "${before}The Apache License, Version 2.0: see /usr/share/common-licenses/Apache-2.0.\n${after}")
  elseif(NOT gpl EQUAL -1)
    string(FIND "${body}" "Version 3" v3)
    set(which GPL-2)
    if(NOT v3 EQUAL -1)
      set(which GPL-3)
    endif()
    string(SUBSTRING "${body}" 0 ${gpl} before)
    set(body "${before}The GNU General Public License: see /usr/share/common-licenses/${which}.\n")
  endif()
  string(APPEND text "\n==> PyTorch wheel: ${name}\n\n${body}")
endforeach()
file(WRITE ${OUT} "${text}")
