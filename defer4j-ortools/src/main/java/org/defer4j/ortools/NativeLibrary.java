package org.defer4j.ortools;

import com.google.ortools.Loader;

/** Loads OR-Tools' native library once per JVM. */
final class NativeLibrary {
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void load() {
    if (!loaded) {
      Loader.loadNativeLibraries();
      loaded = true;
    }
  }
}
