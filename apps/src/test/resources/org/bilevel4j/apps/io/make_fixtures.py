# Regenerates the fixtures of MatrixIOTest with NumPy and SciPy (numpy 2.4, scipy 1.17 were used):
#   cd apps/src/test/resources/org/bilevel4j/apps/io && python3 make_fixtures.py
import numpy as np
import scipy.io
import scipy.sparse

real = np.array([[1.0, -2.5, 3.0], [0.004, 5.0, -6.0]])   # 2 x 3; 0.004 is inexact in float32
ints = np.array([[1, -2, 3], [4, 5, -6]])
uints = np.array([[1, 2, 3], [4, 250, 6]])

np.save("f8_c.npy", real.astype("<f8"))
np.save("f8_fortran.npy", np.asfortranarray(real.astype("<f8")))
np.save("f8_big.npy", real.astype(">f8"))
np.save("f4.npy", real.astype("<f4"))
np.save("f4_big_fortran.npy", np.asfortranarray(real.astype(">f4")))
np.save("u1.npy", uints.astype("|u1"))
np.save("i1.npy", ints.astype("|i1"))
np.save("i2.npy", ints.astype("<i2"))
np.save("i4.npy", ints.astype("<i4"))
np.save("i4_big.npy", ints.astype(">i4"))
np.save("i8.npy", ints.astype("<i8"))
np.save("i8_big.npy", ints.astype(">i8"))
np.save("u8.npy", uints.astype("<u8"))
np.save("bool.npy", ints > 0)
np.save("vector.npy", np.array([1.5, -2.0, 3.25]))
np.save("cube.npy", np.zeros((2, 2, 2)))
np.save("complex.npy", real.astype(np.complex128))
nan = real.copy(); nan[1, 2] = np.nan
np.save("nan.npy", nan)
inf = real.copy(); inf[0, 1] = -np.inf
np.save("inf.npy", inf)
np.savetxt("header.csv", real, delimiter=",", header="a,b,c", comments="")
np.savetxt("plain.csv", real, delimiter=",")

scipy.io.mmwrite("coordinate.mtx", scipy.sparse.coo_matrix(real))
scipy.io.mmwrite("array.mtx", real)
scipy.io.mmwrite("integer.mtx", scipy.sparse.coo_matrix(ints))
sym = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 0.5], [0.0, 0.5, 3.0]])
scipy.io.mmwrite("symmetric.mtx", scipy.sparse.coo_matrix(sym), symmetry="symmetric")
scipy.io.mmwrite("symmetric_array.mtx", sym, symmetry="symmetric")
skew = np.array([[0.0, 1.0, -2.0], [-1.0, 0.0, 4.0], [2.0, -4.0, 0.0]])
scipy.io.mmwrite("skew.mtx", scipy.sparse.coo_matrix(skew), symmetry="skew-symmetric")
