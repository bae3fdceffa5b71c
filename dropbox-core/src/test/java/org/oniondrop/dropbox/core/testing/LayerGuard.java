package org.oniondrop.dropbox.core.testing;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.oniondrop.dropbox.core.service.JournalistService;

/**
 * The boundary between dropbox-core and the web modules (dropbox-journalist, dropbox-source,
 * dropbox-server), checked by each of them and by dropbox-core itself: the web layers get view
 * records and plain values, never a JPA entity, a repository or any other type of {@value
 * #PERSISTENCE}.
 *
 * <p>Two checks, because neither suffices alone. {@link #offenders} scans a module's sources and
 * compiled classes for the package's name: a class file's constant pool names every class and every
 * method descriptor it touches, so an entity reached through {@code var} or a chained call is
 * found. But a descriptor is erased: a call to a core method returning {@code Optional<Source>}
 * leaves only {@code java/util/Optional} behind, so {@code findSource(id).isPresent()} would pass.
 * {@link #persistenceTypesInCoreApi} closes that: no public or protected member of a public
 * dropbox-core class outside the persistence package names a persistence type in its return,
 * parameter, exception or field type, type arguments ({@code List<Submission>}) and bounds
 * included. With both, a web class cannot reach an entity without naming it.
 */
public final class LayerGuard {

  /** The package the web layers may not reach. */
  public static final String PERSISTENCE = "org.oniondrop.dropbox.core.persistence";

  /**
   * Fewer dropbox-core classes than this means the walk looked in the wrong place (it has ~120,
   * nested ones included).
   */
  static final int MIN_CORE_CLASSES = 80;

  private LayerGuard() {}

  private static List<Path> files(Path root, String suffix) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new AssertionError("not a directory: " + root.toAbsolutePath());
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /**
   * The files under {@code root} ending in {@code suffix} whose bytes contain {@code needle} (read
   * as ISO-8859-1, one char a byte, so an ASCII needle is found in a class file's constant pool),
   * relative to {@code root}. Fails if fewer than {@code minFiles} files were scanned: a scan that
   * reads nothing finds nothing.
   */
  public static List<String> offenders(Path root, String suffix, String needle, int minFiles)
      throws IOException {
    List<Path> all = files(root, suffix);
    if (all.size() < minFiles) {
      throw new AssertionError(
          "only " + all.size() + " " + suffix + " files under " + root + ", expected " + minFiles);
    }
    List<String> out = new ArrayList<>();
    for (Path p : all) {
      if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(needle)) {
        out.add(root.relativize(p).toString());
      }
    }
    return out;
  }

  /** The persistence package's name in a module's sources ({@code src/main/java}). */
  public static List<String> persistenceInSources(Path sources, int minFiles) throws IOException {
    return offenders(sources, ".java", PERSISTENCE, minFiles);
  }

  /** The persistence package's name in a module's compiled classes ({@code target/classes}). */
  public static List<String> persistenceInClasses(Path classes, int minFiles) throws IOException {
    return offenders(classes, ".class", PERSISTENCE.replace('.', '/'), minFiles);
  }

  /**
   * Every public or protected member of a public dropbox-core class (outside {@value #PERSISTENCE})
   * whose signature names a persistence type, as {@code Class#member: type}; empty when the
   * boundary holds. The classes are those of the jar or directory dropbox-core's main code was
   * loaded from, loaded without initialising them.
   */
  public static List<String> persistenceTypesInCoreApi() throws IOException {
    return persistenceTypesIn(coreClassNames());
  }

  /** {@link #persistenceTypesInCoreApi} over the named classes (so a test can give it its own). */
  public static List<String> persistenceTypesIn(List<String> classNames) {
    List<String> out = new ArrayList<>();
    ClassLoader loader = LayerGuard.class.getClassLoader();
    for (String name : classNames) {
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new AssertionError("cannot load " + name, e);
      }
      if (c.getPackageName().equals(PERSISTENCE) || !visibleOutside(c)) {
        continue;
      }
      check(out, c.getName() + " extends", c.getGenericSuperclass());
      for (Type t : c.getGenericInterfaces()) {
        check(out, c.getName() + " implements", t);
      }
      for (Field f : c.getDeclaredFields()) {
        if (exposed(f.getModifiers())) {
          check(out, c.getName() + "#" + f.getName(), f.getGenericType());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (exposed(k.getModifiers())) {
          checkExecutable(out, c.getName() + "#<init>", k);
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (exposed(m.getModifiers()) && !m.isSynthetic()) {
          checkMethod(out, c, m);
        } else if (exposed(m.getModifiers()) && m.isBridge()) {
          // javac's visibility bridge: a public method of a hidden superclass, re-declared here
          // with an erased signature; the generic one is the superclass's.
          checkMethod(out, c, bridged(c, m));
        }
      }
      for (Method m : c.getMethods()) {
        // A public method inherited from a class another module cannot name is still callable on
        // this one (a visible declaring class is checked on its own).
        if (!visibleOutside(m.getDeclaringClass()) && !m.isSynthetic()) {
          checkMethod(out, c, m);
        }
      }
    }
    return out;
  }

  /** The names of dropbox-core's main classes (nested ones included). */
  public static List<String> coreClassNames() throws IOException {
    Path location;
    try {
      location =
          Path.of(
              JournalistService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> names;
    if (Files.isDirectory(location)) {
      names = classNames(location);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        names = classNames(jar.getPath("/"));
      }
    }
    if (names.size() < MIN_CORE_CLASSES) {
      throw new AssertionError("only " + names.size() + " classes at " + location);
    }
    return names;
  }

  private static List<String> classNames(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : files(root, ".class")) {
      String rel = root.relativize(p).toString().replace('\\', '/');
      if (rel.startsWith("org/oniondrop/dropbox/core/") && !rel.endsWith("package-info.class")) {
        out.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
      }
    }
    return out;
  }

  /** Public, and every enclosing class public too: a class another module can name. */
  private static boolean visibleOutside(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** The superclass method {@code bridge} stands for (itself if none is found). */
  private static Method bridged(Class<?> c, Method bridge) {
    for (Class<?> k = c.getSuperclass(); k != null; k = k.getSuperclass()) {
      try {
        Method m = k.getDeclaredMethod(bridge.getName(), bridge.getParameterTypes());
        if (!m.isSynthetic()) {
          return m;
        }
      } catch (NoSuchMethodException e) {
        // further up
      }
    }
    return bridge;
  }

  private static void checkMethod(List<String> out, Class<?> c, Method m) {
    check(out, c.getName() + "#" + m.getName(), m.getGenericReturnType());
    checkExecutable(out, c.getName() + "#" + m.getName(), m);
  }

  private static void checkExecutable(List<String> out, String where, Executable e) {
    for (Type t : e.getGenericParameterTypes()) {
      check(out, where + " parameter", t);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(out, where + " throws", t);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      check(out, where + " type parameter", v);
    }
  }

  private static void check(List<String> out, String where, Type type) {
    for (Class<?> named : namedClasses(type)) {
      if (named.getPackageName().equals(PERSISTENCE)) {
        out.add(where + ": " + type.getTypeName());
        return;
      }
    }
  }

  /** Every class {@code type} names: itself, its type arguments, bounds and components. */
  static Set<Class<?>> namedClasses(Type type) {
    Set<Class<?>> out = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(type, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collect(Type type, Set<Class<?>> out, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      out.add(c);
    } else if (type instanceof ParameterizedType p) {
      collect(p.getRawType(), out, seen);
      collect(p.getOwnerType(), out, seen);
      for (Type a : p.getActualTypeArguments()) {
        collect(a, out, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        collect(b, out, seen);
      }
      for (Type b : w.getLowerBounds()) {
        collect(b, out, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      collect(a.getGenericComponentType(), out, seen);
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        collect(b, out, seen);
      }
    }
  }
}
