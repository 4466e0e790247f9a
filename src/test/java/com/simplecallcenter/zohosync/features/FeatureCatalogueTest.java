package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.config.Settings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes and the catalogue agree: every switch a route asks about is in {@code scc.feature.names} (else its calls
 * would park at run time), and every catalogued feature is asked about somewhere and has its route.
 */
class FeatureCatalogueTest {

    static String routes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void everySwitchTheRoutesAskAboutIsCataloguedAndEveryFeatureHasItsRoute() throws IOException {
        List<String> catalogue = FeatureSwitches.catalogue(Settings.of(Map.of())).stream().map(FeatureSwitches.Feature::name).toList();
        String routes = routes();
        List<String> asked = new ArrayList<>();
        Matcher m = Pattern.compile("isEnabled\\('([^']+)', \\$\\{header.SccTenant}\\)").matcher(routes);
        while (m.find()) {
            asked.add(m.group(1));
        }
        assertThat(asked).isNotEmpty();
        assertThat(catalogue).containsAll(asked);
        assertThat(asked).containsAll(catalogue);
        for (String feature : catalogue) {
            assertThat(routes).as("a route from direct:%s", feature).containsPattern("uri: \"?direct:" + Pattern.quote(feature) + "\"?\\s");
        }
    }
}
