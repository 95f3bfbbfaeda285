package dev.dossier.common.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProjectVersionTest {
    /** Maven passes the version it builds ({@code dossier.version}, from the parent pom's surefire settings). */
    @Test
    void get_isTheVersionMavenBuilt() {
        String built = System.getProperty("dossier.version");
        assertThat(built).isNotBlank().doesNotContain("${");

        assertThat(ProjectVersion.get()).isEqualTo(built);
        assertThat(ProjectVersion.line("dossier-node")).isEqualTo("dossier-node " + built);
    }
}
