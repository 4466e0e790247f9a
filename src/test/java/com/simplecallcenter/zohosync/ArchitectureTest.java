package com.simplecallcenter.zohosync;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Arrays;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package map of the README (Development, "Packages"), checked on the main classes: arrows run one way, from the
 * wiring and the admin at the top down to the plumbing. A new arrow fails here; if it is meant, change the map too.
 */
@AnalyzeClasses(packages = ArchitectureTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String ROOT = "com.simplecallcenter.zohosync";

    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    // leaves: what everyone may use, using nothing of ours
    @ArchTest
    static final ArchRule config = mayOnlyUse("config");
    @ArchTest
    static final ArchRule phone = mayOnlyUse("phone");
    @ArchTest
    static final ArchRule http = mayOnlyUse("http");
    @ArchTest
    static final ArchRule inbox = mayOnlyUse("inbox");
    @ArchTest
    static final ArchRule sandbox = mayOnlyUse("sandbox");
    @ArchTest
    static final ArchRule crypto = mayOnlyUse("crypto");

    @ArchTest
    static final ArchRule db = mayOnlyUse("db", "config");
    @ArchTest
    static final ArchRule ops = mayOnlyUse("ops", "http");
    @ArchTest
    static final ArchRule tenants = mayOnlyUse("tenants", "crypto", "config", "phone", "http", "ops");
    @ArchTest
    static final ArchRule zoho = mayOnlyUse("zoho", "crypto", "config", "http", "ops");
    @ArchTest
    static final ArchRule ingest = mayOnlyUse("ingest", "inbox", "config", "phone", "http", "ops");
    @ArchTest
    static final ArchRule providers = mayOnlyUse("providers", "ingest", "inbox", "config", "phone", "http", "ops");
    @ArchTest
    static final ArchRule sync = mayOnlyUse("sync", "zoho", "inbox", "config", "phone", "http", "ops");
    @ArchTest
    static final ArchRule features = mayOnlyUse("features", "sync", "zoho", "inbox", "config", "phone", "http", "ops");
    @ArchTest
    static final ArchRule admin = mayOnlyUse("admin", "features", "sync", "zoho", "config", "http", "ops");

    /** Classes of {@code pkg} depend on nothing of ours but {@code pkg} itself and {@code allowed}. */
    private static ArchRule mayOnlyUse(String pkg, String... allowed) {
        String[] packages = Stream.concat(Stream.of(pkg), Arrays.stream(allowed)).map(p -> ROOT + "." + p + "..").toArray(String[]::new);
        return classes().that().resideInAPackage(ROOT + "." + pkg + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..").or(resideInAnyPackage(packages)))
                .as(pkg + " uses " + (allowed.length == 0 ? "no other package of ours" : "only " + String.join(", ", allowed)));
    }
}
