#version 330 core
// One colour; for lines the outer pixel fades out so edges look smooth (the quads are a
// pixel wider than the line for that).

// Inputs: the signed distance in pixels from a line's centre.
in float v_across;

// Uniforms: the colour (straight alpha) and half the line's width in pixels, or 0 for a
// fill without edge fading.
uniform vec4 u_color;
uniform float u_half_width;

// Outputs: straight alpha.
out vec4 o_color;

void main() {
    float coverage = 1.0;
    if (u_half_width > 0.0) {
        coverage = clamp(u_half_width + 0.5 - abs(v_across), 0.0, 1.0);
    }
    o_color = vec4(u_color.rgb, u_color.a * coverage);
}
