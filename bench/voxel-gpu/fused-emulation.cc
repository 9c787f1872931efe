// The fused voxel.evidence decision (evidence_fused.cu's evalPair and the camera bounds of
// evidence_step.cc's cameraRecord) replayed on the CPU against the contract, with the GPU's
// approximate reciprocal modelled as 1/w moved by up to one ulp either way at random. Cameras
// inside and around the grid (camera planes and near-zero depths cross it), dense noise.
// A check of the error bounds that needs no GPU:
//   g++ -O2 -std=c++17 -frounding-math bench/voxel-gpu/fused-emulation.cc -o /tmp/fused-emulation && /tmp/fused-emulation
// Keep it in step with those two functions.
#include <cfenv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>
#include <algorithm>
#pragma STDC FENV_ACCESS ON
struct Grid { int nx, ny, nz; double ox, oy, oz, vs; };
struct Cam { double p[12]; float a[12]; float tolA[2], tolB[2]; float wFast, wNeg, qMax; int W, H; std::vector<uint8_t> m; };
std::mt19937_64 rng(1);
double U() { return std::uniform_real_distribution<double>(0,1)(rng); }
static float frd(float a, float b){ fesetround(FE_DOWNWARD); volatile float r = a + b; fesetround(FE_TONEAREST); return r; }
static float fru(float a, float b){ fesetround(FE_UPWARD); volatile float r = a + b; fesetround(FE_TONEAREST); return r; }
static float fsubrd(float a, float b){ fesetround(FE_DOWNWARD); volatile float r = a - b; fesetround(FE_TONEAREST); return r; }
static int floorMagic(float x){ float r = frd(x, 12582912.0f); int a,b; float m=12582912.0f; memcpy(&a,&r,4); memcpy(&b,&m,4); return a-b; }
static float rcpA(float w){ float r = 1.0f / w; // perturb by up to 1 ulp either way
  int k = int(U()*3) - 1; if (k<0) r = nextafterf(r, 0.f); else if (k>0) r = nextafterf(r, INFINITY); return r; }
void record(Cam& c, const Grid& g){
  const double x0 = g.ox + 0.5 * g.vs, y0 = g.oy + 0.5 * g.vs, z0 = g.oz + 0.5 * g.vs;
  const double xs[2] = {x0, g.ox + (g.nx - 0.5) * g.vs}, ys[2] = {y0, g.oy + (g.ny - 0.5) * g.vs}, zs[2] = {z0, g.oz + (g.nz - 0.5) * g.vs};
  double E[3]; bool finite = true;
  for (int r = 0; r < 3; ++r) { const double* P = c.p + 4*r;
    const double coef[4] = {P[0]*x0 + P[1]*y0 + P[2]*z0 + P[3], P[0]*g.vs, P[1]*g.vs, P[2]*g.vs};
    double B = 0; for (int k = 0; k < 4; ++k) { c.a[4*r+k] = float(coef[k]); int cnt = k==0?1:(k==1?g.nx-1:k==2?g.ny-1:g.nz-1); B += std::fabs(double(c.a[4*r+k]))*cnt; }
    double S = 0; for (int k = 0; k < 8; ++k) S = std::max(S, std::fabs(P[0]*xs[k&1]) + std::fabs(P[1]*ys[(k>>1)&1]) + std::fabs(P[2]*zs[k>>2]) + std::fabs(P[3]));
    E[r] = B*1.01*std::ldexp(1.0,-21) + S*std::ldexp(1.0,-45); }
  const double qMax = 1.25*std::max(c.W,c.H) + 8; c.qMax = float(qMax);
  const double wFast = std::max({64*E[2], 0.5*std::max(E[0],E[1]), 1e-30});
  for (int d=0; d<2; ++d){ c.tolA[d] = float(2.5*(E[d] + qMax*E[2])); c.tolB[d] = float(qMax*std::ldexp(1.0,-20)); }
  c.wFast = finite ? float(wFast*(1+1e-6)) : INFINITY; c.wNeg = float(-2*E[2]*(1+1e-6));
}
int bit(const Cam& c, int x, int y){ if (unsigned(x) >= unsigned(c.W) || unsigned(y) >= unsigned(c.H)) return 0; return c.m[size_t(y)*c.W + x] != 0; }
int contract(const Cam& c, const Grid& g, int ix, int iy, int iz){
  volatile double X = g.ox + (double(ix) + 0.5) * g.vs, Y = g.oy + (double(iy) + 0.5) * g.vs, Z = g.oz + (double(iz) + 0.5) * g.vs;
  const double* P = c.p; volatile double t;
  t = P[8]*X; t = t + P[9]*Y; t = t + P[10]*Z; double w = t + P[11]; if (!(w > 0)) return 0;
  t = P[0]*X; t = t + P[1]*Y; t = t + P[2]*Z; double u = t + P[3];
  t = P[4]*X; t = t + P[5]*Y; t = t + P[6]*Z; double v = t + P[7];
  double px = std::floor(u/w), py = std::floor(v/w);
  if (px >= 0 && px < c.W && py >= 0 && py < c.H) return bit(c, int(px), int(py)); return 0; }
long amb=0, fb=0, pairs=0;
int fast(const Cam& c, const Grid& g, int ix, int iy, int iz){
  ++pairs; float fy = float(iy), fz = float(iz), fx = float(ix);
  float rowU = fmaf(fy, c.a[2], fmaf(fz, c.a[3], c.a[0])), rowV = fmaf(fy, c.a[6], fmaf(fz, c.a[7], c.a[4])), rowW = fmaf(fy, c.a[10], fmaf(fz, c.a[11], c.a[8]));
  float w = fmaf(fx, c.a[9], rowW);
  if (w > c.wFast) { float r = rcpA(w); float qx = fmaf(fx, c.a[1], rowU) * r, qy = fmaf(fx, c.a[5], rowV) * r;
    if (!(std::fabs(qx) <= c.qMax && std::fabs(qy) <= c.qMax)) return 0;
    float tx = fmaf(c.tolA[0], r, c.tolB[0]), ty = fmaf(c.tolA[1], r, c.tolB[1]);
    int x0 = floorMagic(fsubrd(qx, tx)), x1 = floorMagic(fru(qx, tx)), y0 = floorMagic(fsubrd(qy, ty)), y1 = floorMagic(fru(qy, ty));
    if (x0 == x1 && y0 == y1) return bit(c, x0, y0);
    ++amb;
    if (x1 - x0 <= 1 && y1 - y0 <= 1) { int b = bit(c,x0,y0); if (b == bit(c,x1,y0) && b == bit(c,x0,y1) && b == bit(c,x1,y1)) return b; }
  } else if (w < c.wNeg) return 0;
  ++fb; return contract(c, g, ix, iy, iz); }
void lookAt(double* P, double ex, double ey, double ez, double tx, double ty, double tz, double f, int W, int H){
  double fw[3]={tx-ex,ty-ey,tz-ez}; double l=std::sqrt(fw[0]*fw[0]+fw[1]*fw[1]+fw[2]*fw[2]); for(auto& x:fw) x/=l;
  double rt[3]={fw[1]*1-fw[2]*0, fw[2]*0-fw[0]*1, 0}; l=std::hypot(rt[0],rt[1]); if (l<1e-9){rt[0]=1;rt[1]=0;l=1;} rt[0]/=l; rt[1]/=l;
  double dn[3]={fw[1]*rt[2]-fw[2]*rt[1], fw[2]*rt[0]-fw[0]*rt[2], fw[0]*rt[1]-fw[1]*rt[0]};
  double* rows[3]={rt,dn,fw}; double e[3]={ex,ey,ez}; double K[3][3]={{f,0,W/2.0},{0,f,H/2.0},{0,0,1}};
  for(int i=0;i<3;i++){ for(int j=0;j<3;j++) P[i*4+j]=K[i][0]*rows[0][j]+K[i][1]*rows[1][j]+K[i][2]*rows[2][j];
    double t[3]; for(int q=0;q<3;q++) t[q]=-(rows[q][0]*e[0]+rows[q][1]*e[1]+rows[q][2]*e[2]); P[i*4+3]=K[i][0]*t[0]+K[i][1]*t[1]+K[i][2]*t[2]; } }
int main(){ long bad=0, total=0, ones=0;
  for (int s = 0; s < 300; ++s) {
    Grid g{ 10+int(U()*50), 10+int(U()*50), 5+int(U()*30), -2+U()*0.01, -2+U()*0.01, -1+U()*0.01, s%3==0 ? 0.05 : 0.1 };
    int ncam = 1 + int(U()*4);
    for (int k=0;k<ncam;k++){ Cam c; c.W = 64+int(U()*400); c.H = 48+int(U()*300);
      bool inside = U() < 0.5; double ex, ey, ez, tx, ty, tz;
      double Lx=g.nx*g.vs, Ly=g.ny*g.vs, Lz=g.nz*g.vs;
      if (inside) { ex=g.ox+Lx*(U()*1.2-0.1); ey=g.oy+Ly*(U()*1.2-0.1); ez=g.oz+Lz*U(); }
      else { double a=U()*6.28; ex=g.ox+Lx/2+3*Lx*cos(a); ey=g.oy+Ly/2+3*Lx*sin(a); ez=g.oz+Lz*U(); }
      tx=g.ox+Lx*U(); ty=g.oy+Ly*U(); tz=g.oz+Lz*U();
      lookAt(c.p, ex,ey,ez,tx,ty,tz,(0.3+U())*c.W, c.W, c.H);
      c.m.resize(size_t(c.W)*c.H); double noise = U()*0.5; for (auto& b: c.m) b = U() < noise;
      record(c, g);
      for (int iz=0; iz<g.nz; ++iz) for (int iy=0; iy<g.ny; ++iy) for (int ix=0; ix<g.nx; ++ix) {
        int a = fast(c,g,ix,iy,iz), b = contract(c,g,ix,iy,iz); ++total; ones += b; if (a != b) { if (bad < 10) printf("mismatch s=%d cam=%d voxel %d %d %d fast %d contract %d\n", s,k,ix,iy,iz,a,b); ++bad; } } } }
  printf("pairs %ld, ones %ld, mismatches %ld, ambiguous %ld (%.3g), float64 %ld (%.3g)\n", total, ones, bad, amb, double(amb)/pairs, fb, double(fb)/pairs);
}
