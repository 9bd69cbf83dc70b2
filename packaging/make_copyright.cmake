# Writes the package's copyright file: the header, Fabula's license, and the
# license texts of what the package bundles from the torch wheel (its
# dist-info's LICENSE and third_party/*), so the file follows the wheel the
# build used. cmake -DOUT=... -DHEADER=... -DTORCH_LIB_DIR=... -DPROJECT_ROOT=... -P
file(READ ${HEADER} text)
file(READ ${PROJECT_ROOT}/LICENSE fabula_license)
string(APPEND text "\n==> Fabula (MIT)\n\n${fabula_license}")
file(GLOB dist_info LIST_DIRECTORIES true "${TORCH_LIB_DIR}/../../torch-*.dist-info")
if(NOT dist_info)
  message(FATAL_ERROR "no torch-*.dist-info beside ${TORCH_LIB_DIR}: cannot collect libtorch's licenses")
endif()
list(GET dist_info 0 dist_info)
file(GLOB_RECURSE licenses RELATIVE ${dist_info}/licenses ${dist_info}/licenses/*)
list(SORT licenses)
foreach(name IN LISTS licenses)
  file(READ ${dist_info}/licenses/${name} body)
  string(APPEND text "\n==> PyTorch wheel: ${name}\n\n${body}")
endforeach()
file(WRITE ${OUT} "${text}")
