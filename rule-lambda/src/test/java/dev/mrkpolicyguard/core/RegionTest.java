package dev.mrkpolicyguard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegionTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"})
  void parse_regionName_isThatRegion(String name) {
    assertEquals(Optional.of(new Region(name)), Region.parse(name));
    assertEquals(name, new Region(name).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "us-east", "US-EAST-1", "us-east-1 ", "useast1", "a-b-c-d-1", "us-east-1x"})
  void parse_notARegionName_isEmpty(String text) {
    assertEquals(Optional.empty(), Region.parse(text));
    assertFalse(Region.isName(text));
  }

  @Test
  void new_notARegionName_saysWhatARegionLooksLike() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Region("mars-1"));

    assertEquals("'mars-1' is not a Region name (e.g. us-east-1)", e.getMessage());
  }

  @Test
  void notARegion_optionAndValue_oneLineNamingBoth() {
    assertEquals("--region 'x' is not a Region name", Region.notARegion("region", "x"));
    assertTrue(Region.isName("il-central-1"));
    assertFalse(Region.isName(null));
  }
}
