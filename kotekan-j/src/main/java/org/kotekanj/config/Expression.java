package org.kotekanj.config;

import java.util.function.Function;

/**
 * Arithmetic over config values, e.g. {@code samples_per_data_set * num_elements * 2}: integers stay exact
 * ({@code long}, overflow is an error), a division that is not exact or any decimal operand gives a double.
 * Grammar: {@code + - * / %}, unary minus, parentheses, numbers and identifiers (other config values).
 */
public final class Expression
{
    /** Parentheses and unary signs nested deeper than this are an error, not a StackOverflowError. */
    static final int MAX_NESTING = 64;

    private final String text;
    private final Function<String, Number> variables;
    private int position;
    private int nesting;

    private Expression(final String text, final Function<String, Number> variables)
    {
        this.text = text;
        this.variables = variables;
    }

    /**
     * Evaluates {@code text}, asking {@code variables} for each identifier (which throws {@link ExpressionException}
     * when a name is unknown).
     */
    public static Number evaluate(final String text, final Function<String, Number> variables)
    {
        final Expression expression = new Expression(text, variables);
        final Number value = expression.sum();
        expression.skipSpaces();
        if (expression.position != text.length())
        {
            throw new ExpressionException("unexpected '" + text.substring(expression.position) + "' in expression \"" +
                text + "\"");
        }
        return value;
    }

    /** True if the text could be an expression rather than a plain word (has an operator, digit or parenthesis). */
    public static boolean looksLikeExpression(final String text)
    {
        return text.chars().anyMatch(c -> "+-*/%()0123456789".indexOf(c) >= 0);
    }

    private Number sum()
    {
        Number left = product();
        while (true)
        {
            skipSpaces();
            if (accept('+'))
            {
                left = add(left, product(), true);
            }
            else if (accept('-'))
            {
                left = add(left, product(), false);
            }
            else
            {
                return left;
            }
        }
    }

    private Number product()
    {
        Number left = unary();
        while (true)
        {
            skipSpaces();
            if (accept('*'))
            {
                left = multiply(left, unary());
            }
            else if (accept('/'))
            {
                left = divide(left, unary());
            }
            else if (accept('%'))
            {
                left = remainder(left, unary());
            }
            else
            {
                return left;
            }
        }
    }

    private Number unary()
    {
        if (++nesting > MAX_NESTING)
        {
            throw new ExpressionException("expression nests deeper than " + MAX_NESTING + " levels");
        }
        try
        {
            return signed();
        }
        finally
        {
            nesting--;
        }
    }

    private Number signed()
    {
        skipSpaces();
        if (accept('-'))
        {
            final Number value = unary();
            if (value instanceof Long l)
            {
                // Not a conditional expression: mixing Long and Double there would unbox both to double.
                if (l == Long.MIN_VALUE)
                {
                    throw overflow();
                }
                return -l;
            }
            return -value.doubleValue();
        }
        if (accept('+'))
        {
            return unary();
        }
        return primary();
    }

    private Number primary()
    {
        skipSpaces();
        if (accept('('))
        {
            final Number value = sum();
            skipSpaces();
            if (!accept(')'))
            {
                throw new ExpressionException("missing ')' in expression \"" + text + "\"");
            }
            return value;
        }
        if (position >= text.length())
        {
            throw new ExpressionException("expression \"" + text + "\" ends where a value was expected");
        }
        final char c = text.charAt(position);
        if (Character.isDigit(c) || c == '.')
        {
            return number();
        }
        if (Character.isLetter(c) || c == '_')
        {
            final int start = position;
            while (position < text.length() &&
                (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_'))
            {
                position++;
            }
            return variables.apply(text.substring(start, position));
        }
        throw new ExpressionException("unexpected '" + c + "' in expression \"" + text + "\"");
    }

    private Number number()
    {
        final int start = position;
        boolean decimal = false;
        while (position < text.length())
        {
            final char c = text.charAt(position);
            if (Character.isDigit(c) || c == '_')
            {
                position++;
            }
            else if (c == '.' || c == 'e' || c == 'E')
            {
                decimal = true;
                position++;
                if ((c == 'e' || c == 'E') && position < text.length() &&
                    (text.charAt(position) == '-' || text.charAt(position) == '+'))
                {
                    position++;
                }
            }
            else
            {
                break;
            }
        }
        final String literal = text.substring(start, position).replace("_", "");
        try
        {
            return decimal ? (Number)Double.valueOf(literal) : (Number)Long.valueOf(literal);
        }
        catch (final NumberFormatException e)
        {
            throw new ExpressionException("bad number '" + literal + "' in expression \"" + text + "\"");
        }
    }

    private Number add(final Number a, final Number b, final boolean plus)
    {
        if (a instanceof Long x && b instanceof Long y)
        {
            try
            {
                return plus ? Math.addExact(x, y) : Math.subtractExact(x, y);
            }
            catch (final ArithmeticException e)
            {
                throw overflow();
            }
        }
        return plus ? a.doubleValue() + b.doubleValue() : a.doubleValue() - b.doubleValue();
    }

    private Number multiply(final Number a, final Number b)
    {
        if (a instanceof Long x && b instanceof Long y)
        {
            try
            {
                return Math.multiplyExact(x, y);
            }
            catch (final ArithmeticException e)
            {
                throw overflow();
            }
        }
        return a.doubleValue() * b.doubleValue();
    }

    private Number divide(final Number a, final Number b)
    {
        if (b.doubleValue() == 0)
        {
            throw new ExpressionException("division by zero in expression \"" + text + "\"");
        }
        if (a instanceof Long x && b instanceof Long y && x % y == 0)
        {
            if (x == Long.MIN_VALUE && y == -1)
            {
                throw overflow();
            }
            return x / y;
        }
        return a.doubleValue() / b.doubleValue();
    }

    private Number remainder(final Number a, final Number b)
    {
        if (!(a instanceof Long x) || !(b instanceof Long y))
        {
            throw new ExpressionException("% needs integers in expression \"" + text + "\"");
        }
        if (y == 0)
        {
            throw new ExpressionException("division by zero in expression \"" + text + "\"");
        }
        return x % y;
    }

    private ExpressionException overflow()
    {
        return new ExpressionException("integer overflow in expression \"" + text + "\"");
    }

    private boolean accept(final char c)
    {
        if (position < text.length() && text.charAt(position) == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void skipSpaces()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }
}
