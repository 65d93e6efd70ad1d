"""The activations inside the kernels, one number at a time: e**x, tanh and sigmoid that vectorise.

Scalars only (no dimension letters): z is a pre-activation, a = act(z) its output. The codes
of :data:`ACTIVATION_CODES` select the activation inside a kernel, as in ``activations.py``:

    tanh z = 1 - 2 / (1 + e**(2z)),          tanh'     = 1 - a**2
    sigmoid z = 1 / (1 + e**(-z)),           sigmoid'  = a (1 - a)
    relu z = max(z, 0),                      relu'     = 1 if a > 0 else 0
    identity z = z,                          identity' = 1
    e**x = 2**k e**r,  k = round(x / ln 2),  |r| <= ln(2) / 2,  e**r by its Taylor series

numba turns ``math.exp`` into a call to libm, one number at a time (it vectorises exp only
with Intel's SVML library, which the course does not install). Written with +, *, a
comparison and a bit shift, :func:`_exp` vectorises like any other loop: four numbers per
AVX2 instruction. The per-sequence kernel uses the scalar :func:`_act` (libm's exp); the
batched kernels use :func:`_tanh` and :func:`_sigmoid`.
"""
import math

from numba import types
from numba.extending import intrinsic

from ..activations import ACTIVATIONS
from .jit import VECTOR, _compile

ACTIVATION_CODES = {name: code for code, name in enumerate(ACTIVATIONS)}  # tanh 0, sigmoid 1, relu 2, identity 3


# --- the activations, one number at a time (codes from ACTIVATION_CODES) ---------------------

@_compile
def _act(z, code):
    """act(z) for one number. tanh is written 1 - 2 / (1 + exp(2z)): it agrees with
    libm's tanh to about 1e-16 and costs a third as much (exp is the fast one)."""
    if code == 0:
        return 1.0 - 2.0 / (1.0 + math.exp(2.0 * z))
    if code == 1:  # the overflow-free sigmoid of activations.sigmoid
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if code == 2:
        return z if z > 0.0 else 0.0
    return z


@_compile
def _act_derivative(a, code):
    """f'(z) from the output a = f(z), as in activations.py."""
    if code == 0:
        return 1.0 - a * a
    if code == 1:
        return a * (1.0 - a)
    if code == 2:
        return 1.0 if a > 0.0 else 0.0
    return 1.0


# --- exp, tanh and sigmoid that vectorise ----------------------------------------------------

def _bitcast(context, builder, signature, args):
    """LLVM code for a reinterpretation of the argument's 64 bits as the return type (no instructions)."""
    return builder.bitcast(args[0], context.get_value_type(signature.return_type))


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE 754 bit pattern is the int64 ``bits``."""
    return types.float64(types.int64), _bitcast


@intrinsic
def _bits_of_float(typingctx, value):
    """The IEEE 754 bit pattern of the float64 ``value``, as an int64."""
    return types.int64(types.float64), _bitcast


ROUNDER = 1.5 * 2.0**52          # x + ROUNDER rounds x to an integer k, kept in the low bits of the sum
LOG2_E = 1.4426950408889634      # 1 / ln 2
LN2_HI = 0.6931471803691238      # ln 2 = LN2_HI + LN2_LO; LN2_HI ends in 21 zero bits: k * LN2_HI is exact
LN2_LO = 1.9082149292705877e-10


EXP_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(14))  # 1 / n!, n = 0 ... 13


@_compile(**VECTOR)
def _exp(x):
    """e**x to within 2 units in the last place, for |x| <= 700 (x is clamped there; NaN stays NaN).

    e**x = 2**k * e**r with k = round(x / ln 2) and |r| <= ln(2) / 2. e**r is its Taylor
    series to r**13 / 13! (the next term is below 5e-18), summed in pairs (Estrin's
    scheme: shorter chains of dependent multiply-adds than Horner's rule, so more of them run
    at once). 2**k is built directly: exponent bits k + 1023, shifted into place.
    """
    x = min(max(x, -700.0), 700.0)
    shifted = x * LOG2_E + ROUNDER
    k = shifted - ROUNDER
    r = (x - k * LN2_HI) - k * LN2_LO
    c = EXP_TAYLOR
    r2 = r * r
    r4 = r2 * r2
    low = (c[0] + c[1] * r) + (c[2] + c[3] * r) * r2 + ((c[4] + c[5] * r) + (c[6] + c[7] * r) * r2) * r4
    high = (c[8] + c[9] * r) + (c[10] + c[11] * r) * r2 + (c[12] + c[13] * r) * r4
    two_to_k = _float_from_bits((_bits_of_float(shifted) - _bits_of_float(ROUNDER) + 1023) << 52)
    return (low + high * (r4 * r4)) * two_to_k


@_compile(**VECTOR)
def _tanh(z):
    """tanh z = 1 - 2 / (1 + e**(2z)): within 4e-16 of np.tanh (1 or -1 exactly beyond |z| = 20)."""
    return 1.0 - 2.0 / (1.0 + _exp(2.0 * z))


@_compile(**VECTOR)
def _sigmoid(z):
    """1 / (1 + e**(-z)); _exp's clamp keeps it finite (about 1e-304 at the far left)."""
    return 1.0 / (1.0 + _exp(-z))
