# Sourced by eng/publish-test-samples.sh (the tests' publishes) and eng/bench.sh (the benchmark's): what a sample's
# build variant is, in one place.
# variant_properties VARIANT NATIVE_DIR: sets VARIANT_PROPERTIES to the publish properties of VARIANT, or returns 1 for
# an unknown one. "static" is the opt-in PluginStaticExecutable (docs/msbuild.md, "A static executable"). A variant links
# into NATIVE_DIR (NativeOutputPath): its own folder, so the sample's default binary in the shared build folder stays
# the default build, and the variant's publish only links (the native compile is the same either way).
variant_properties() {
  case "$1" in
    static) VARIANT_PROPERTIES=(-p:PluginStaticExecutable=true "-p:NativeOutputPath=$2") ;;
    *) echo "unknown variant '$1' (known: static)" >&2; return 1 ;;
  esac
}
