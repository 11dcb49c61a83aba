package org.kotekanj.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpressionTest
{
    private static final Map<String, Number> VALUES = Map.of("num_elements", 2048L, "samples", 32768L, "gain", 0.5);

    private static Number eval(final String text)
    {
        return Expression.evaluate(text, name ->
        {
            final Number value = VALUES.get(name);
            if (value == null)
            {
                throw new ExpressionException("no value named '" + name + "'");
            }
            return value;
        });
    }

    private static String error(final String text)
    {
        return assertThrows(ExpressionException.class, () -> eval(text)).getMessage();
    }

    @Test
    void shouldHonourPrecedenceParenthesesAndUnaryMinus()
    {
        assertEquals(14L, eval("2 + 3 * 4"));
        assertEquals(20L, eval("(2 + 3) * 4"));
        assertEquals(-6L, eval("-2 * 3"));
        assertEquals(6L, eval("-(-6)"));
        assertEquals(1L, eval("7 % 3"));
        assertEquals(2L, eval("10 - 4 - 4"));
        assertEquals(1L, eval("16 / 4 / 4"));
    }

    @Test
    void shouldKeepIntegersExactAndUseDoublesForDecimalsAndInexactDivision()
    {
        assertEquals(2048L * 32768L * 2, eval("num_elements * samples * 2"));
        assertEquals(3.5, eval("7 / 2"));
        assertEquals(4L, eval("8 / 2"));
        assertEquals(1024.0, eval("num_elements * gain"));
        assertEquals(1.5e3, eval("1.5e3"));
        assertEquals(1_000_000L, eval("1_000_000"));
    }

    @Test
    void shouldReportIntegerOverflowInsteadOfWrappingAround()
    {
        assertEquals("integer overflow in expression \"9223372036854775807 + 1\"", error("9223372036854775807 + 1"));
        assertEquals("integer overflow in expression \"0 - 9223372036854775807 - 2\"",
            error("0 - 9223372036854775807 - 2"));
        assertEquals("integer overflow in expression \"4294967296 * 4294967296\"", error("4294967296 * 4294967296"));
        assertEquals("integer overflow in expression \"-(0 - 9223372036854775807 - 1)\"",
            error("-(0 - 9223372036854775807 - 1)"));
        assertEquals("integer overflow in expression \"(0 - 9223372036854775807 - 1) / -1\"",
            error("(0 - 9223372036854775807 - 1) / -1"));
        assertEquals("bad number '9223372036854775808' in expression \"9223372036854775808\"",
            error("9223372036854775808"));
    }

    @Test
    void shouldReportDivisionByZero()
    {
        assertEquals("division by zero in expression \"samples / (num_elements - 2048)\"",
            error("samples / (num_elements - 2048)"));
        assertEquals("division by zero in expression \"5 % 0\"", error("5 % 0"));
        assertEquals("division by zero in expression \"1.5 / 0\"", error("1.5 / 0"));
    }

    @Test
    void shouldPassOnUnknownNamesAndReportSyntaxErrors()
    {
        assertEquals("no value named 'num_inputs'", error("num_inputs * 2"));
        assertEquals("missing ')' in expression \"(1 + 2\"", error("(1 + 2"));
        assertEquals("unexpected ') + 1' in expression \"2) + 1\"", error("2) + 1"));
        assertEquals("expression \"2 *\" ends where a value was expected", error("2 *"));
        assertEquals("unexpected '$' in expression \"$x\"", error("$x"));
        assertEquals("% needs integers in expression \"gain % 2\"", error("gain % 2"));
    }

    @Test
    void shouldRefuseExpressionsNestedBeyondTheBoundInsteadOfOverflowingTheStack()
    {
        final String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        assertEquals("expression nests deeper than 64 levels",
            assertThrows(ExpressionException.class, () -> Expression.evaluate(deep, name -> null)).getMessage());
        assertEquals("expression nests deeper than 64 levels", assertThrows(ExpressionException.class,
            () -> Expression.evaluate("-".repeat(100_000) + "1", name -> null)).getMessage());
        assertEquals(3L, Expression.evaluate("(".repeat(30) + "3" + ")".repeat(30), name -> null));
    }
}
