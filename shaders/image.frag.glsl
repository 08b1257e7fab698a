#version 330 core
// Copies an RGBA8 image texel for texel (nearest filtering, pixel-aligned quad).

// Inputs: the texture coordinate.
in vec2 v_uv;

// Uniforms: the image.
uniform sampler2D u_image;

// Outputs: the image's straight-alpha colour.
out vec4 o_color;

void main() {
    o_color = texture(u_image, v_uv);
}
